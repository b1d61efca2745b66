# aarch64 'virt' with only what the fpgaeth bench needs (tools/qemu/build
# copies this to configs/devices/aarch64-softmmu/fpgaeth.mak).
CONFIG_ARM_VIRT=y
CONFIG_FPGAETH=y
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_MMIO=y
CONFIG_VIRTIO_NET=y
CONFIG_VIRTIO_BLK=y
CONFIG_VIRTIO_SERIAL=y
CONFIG_VIRTIO_9P=y
CONFIG_VIRTIO_RNG=y
# QEMU's igb (82576) on the virt machine's PCIe, for make bench's igb column
# (Debian's igb driver in the guest); PCI_EXPRESS comes with ARM_VIRT
CONFIG_IGB_PCI_EXPRESS=y
# igb's objects call e1000x_common.c, which QEMU 10.0's meson links only
# with E1000_PCI or E1000E_PCI_EXPRESS (igb alone fails to link): the
# smaller, e1000 (two objects)
CONFIG_E1000_PCI=y
