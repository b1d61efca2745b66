# SPDX-License-Identifier: GPL-2.0
# check-xdc's stubs of the XDC commands fe_cdc.xdc uses (see check-xdc).
# argv: XDC REGS PORTS
lassign $argv xdc regfile portfile
proc lines {f} {
	set h [open $f]
	set l [split [string trim [read $h]] "\n"]
	close $h
	return $l
}
set regs [lines $regfile]
set ports [lines $portfile]
set clocks {}
set n 0
set failed 0
set errs {}
proc err {msg} { lappend ::errs $msg }
proc case {name} {
	incr ::n
	if {[llength $::errs]} {
		incr ::failed
		puts "not ok $::n - $name"
		foreach e $::errs { puts "# $e" }
	} else {
		puts "ok $::n - $name"
	}
	set ::errs {}
}
proc opts {args known} {
	# options of a command, "-x" flags; returns the rest
	set rest {}
	foreach a $args {
		if {[string match -* $a] && ![string is double $a]} {
			if {[lsearch -exact $known $a] < 0} { err "unknown option $a" }
		} else {
			lappend rest $a
		}
	}
	return $rest
}
proc get_ports {name} {
	foreach p $name {
		if {[lsearch -exact $::ports $p] < 0} { err "no port $p" }
	}
	return [list port $name]
}
proc get_clocks {name} {
	if {[lsearch -exact $::clocks $name] < 0} { err "no clock $name (created before)" }
	return [list clock $name]
}
proc get_property {prop obj} {
	if {$prop ne "PERIOD" || [lindex $obj 0] ne "clock"} { err "get_property $prop of $obj" }
	return 8.000
}
proc count {pattern names} {
	set m 0
	foreach r $names {
		if {[regexp "^(?:$pattern)\$" $r]} { incr m }
	}
	return $m
}
# each alternative of a group (a|b|c) must match on its own: a misspelt
# name among right ones is an error too
proc match {pattern names what} {
	set m [count $pattern $names]
	if {!$m} { err "$what pattern {$pattern} matches nothing" }
	if {[regexp -indices {\(([^()?]*\|[^()]*)\)} $pattern all grp]} {
		set alts [split [string range $pattern {*}$grp] |]
		foreach a $alts {
			set p [string replace $pattern {*}$all "(?:$a)"]
			if {![count $p $names]} { err "$what pattern {$pattern}: alternative $a matches nothing" }
		}
	}
	return $m
}
proc get_cells {args} {
	set r [opts $args {-hier -hierarchical -regexp}]
	set c [match [lindex $r 0] $::regs cell]
	return [list cells [lindex $r 0] $c]
}
proc get_pins {args} {
	set r [opts $args {-hier -hierarchical -regexp}]
	set pins {}
	foreach reg $::regs {
		foreach p {C D Q PRE CLR CE R S} { lappend pins "$reg/$p" }
	}
	set c [match [lindex $r 0] $pins pin]
	return [list pins [lindex $r 0] $c]
}
proc create_clock {args} {
	set r [opts $args {-period -name -waveform -add}]
	set i [lsearch $args -name]
	lappend ::clocks [lindex $args [expr {$i + 1}]]
}
proc set_max_delay {args} { opts $args {-datapath_only -from -to -through} }
proc set_min_delay {args} { opts $args {-from -to -through} }
proc set_false_path {args} { opts $args {-from -to -through -setup -hold} }
proc set_property {args} {
	if {[llength $args] != 3} { err "set_property takes PROPERTY VALUE OBJECTS" }
}

# the file, one command at a time (continuation lines joined)
set h [open $xdc]
set cmd ""
set lineno 0
set start 0
foreach line [split [read $h] "\n"] {
	incr lineno
	if {$cmd eq ""} { set start $lineno }
	append cmd $line "\n"
	if {![info complete $cmd] || [regexp {\\\n$} $cmd]} { continue }
	set c [string trim $cmd]
	set cmd ""
	if {$c eq "" || [string index $c 0] eq "#"} { continue }
	if {[catch {uplevel #0 $c} e]} { err $e }
	case "$xdc:$start: [lindex [split $c] 0]"
}
close $h
puts "1..$n"
puts "[expr {$n - $failed}] passed, $failed failed, 0 skipped"
exit [expr {$failed ? 1 : 0}]
