// SPDX-License-Identifier: GPL-2.0
// The co-simulation socket's byte transfer, for the shim and its test.
#ifndef FE_COSIM_SOCK_H
#define FE_COSIM_SOCK_H

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <sys/socket.h>

// Send (out) or receive all n bytes at p on the stream socket fd, across
// short transfers and EINTR: false when the peer is gone or on an error.
static inline bool cosim_xfer(int fd, bool out, void *p, size_t n)
{
	uint8_t *b = (uint8_t *)p;

	while (n) {
		ssize_t k = out ? send(fd, b, n, MSG_NOSIGNAL) : recv(fd, b, n, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		b += k;
		n -= k;
	}
	return true;
}

#endif
