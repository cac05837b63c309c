#!/usr/bin/perl
# Every exec in an Incus container, as the kernel reports it: the process-events connector
# (netlink NETLINK_CONNECTOR, group CN_IDX_PROC) sends one message per exec, and this reads the
# new program's /proc entries at once, before a short-lived process can exit. Prints one JSON line
# per exec whose cgroup is a container's (`lxc.payload.<name>`):
#   {"ts":<ns, CLOCK_MONOTONIC>,"pid":…,"ppid":…,"start":<ticks since boot>,"owner":<uid of
#    /proc/<pid>, absent when gone>,"container":"…",
#    "argv":[…],"fds":[<fd 0, 1 and 2's link, or null>]}
# and first {"ready":true,"filtered":true|false} once subscribed ("filtered": the kernel sends
# only exec events, Linux 6.6+), {"lost":true} when the kernel dropped events (receive buffer
# full). Needs CAP_NET_ADMIN; exits non-zero with the reason on stderr when it cannot listen.
# Only perl-base modules are used, so it runs on any Debian or Ubuntu host.
# Three reads, a stat and three readlinks per exec (cgroup, cmdline, stat, owner, fds 0-2): under a test suite's
# hundreds of execs a second, each further one is CPU the monitor spends (the compiled twin,
# native/proc-events.c, does the same for less and runs instead where it was built).
use strict;
use warnings;
use Socket qw(SOCK_DGRAM SOL_SOCKET SO_RCVBUF);

use constant {
  AF_NETLINK => 16,
  NETLINK_CONNECTOR => 11,
  CN_IDX_PROC => 1,
  CN_VAL_PROC => 1,
  NLMSG_DONE => 3,
  PROC_CN_MCAST_LISTEN => 1,
  PROC_EVENT_EXEC => 2,
  NLMSG_HDR => 16,
  CN_MSG_HDR => 20,
};

# The kernel's event filter (struct proc_input) exists from Linux 6.6; older kernels ignore a
# subscription of that size entirely, so they get the plain one and every event.
sub kernel_filters {
  open(my $fh, '<', '/proc/sys/kernel/osrelease') or return 0;
  my ($major, $minor) = (<$fh> // '') =~ /^(\d+)\.(\d+)/ or return 0;
  return $major > 6 || ($major == 6 && $minor >= 6);
}

sub slurp {
  my ($path) = @_;
  open(my $fh, '<', $path) or return undef;
  local $/;
  my $text = <$fh>;
  return $text;
}

sub json_string {
  my ($s) = @_;
  $s =~ s/(["\\])/\\$1/g;
  $s =~ s/([\x00-\x1f])/sprintf('\\u%04x', ord $1)/ge;
  return qq("$s");
}

socket(my $sock, AF_NETLINK, SOCK_DGRAM, NETLINK_CONNECTOR) or die "netlink socket: $!\n";
# A burst of host-wide events must not overflow the queue while this is busy reading /proc.
setsockopt($sock, SOL_SOCKET, SO_RCVBUF, 4 << 20);
bind($sock, pack('SSLL', AF_NETLINK, 0, $$, CN_IDX_PROC))
  or die "binding to the process-events group: $!\n";
my $filtered = kernel_filters();
my $input = $filtered ? pack('LL', PROC_CN_MCAST_LISTEN, PROC_EVENT_EXEC) : pack('L', PROC_CN_MCAST_LISTEN);
my $cn = pack('LLLLSS', CN_IDX_PROC, CN_VAL_PROC, 0, 0, length $input, 0) . $input;
send($sock, pack('LSSLL', NLMSG_HDR + length $cn, NLMSG_DONE, 0, 0, $$) . $cn, 0,
  pack('SSLL', AF_NETLINK, 0, 0, 0))
  or die "subscribing to process events: $!\n";

# The race with a short-lived process is won or lost at wake-up: ahead of busy builds, please.
setpriority(0, 0, -10);
$| = 1;
print '{"ready":true,"filtered":', ($filtered ? 'true' : 'false'), "}\n";
# Lines are flushed once no further event is queued: a burst of execs (a test suite's) is one
# write and one wake-up of the reader, a lone exec is written at once.
$| = 0;
my $queued = '';
vec($queued, fileno($sock), 1) = 1;
my $unflushed = 0;

# struct proc_event after the netlink and connector headers: what, cpu, timestamp_ns, then for
# an exec the pid and tgid.
my $event_at = NLMSG_HDR + CN_MSG_HDR;
while (1) {
  if ($unflushed && !select(my $ready = $queued, undef, undef, 0)) {
    $| = 1;
    $| = 0;
    $unflushed = 0;
  }
  my $buf;
  unless (defined recv($sock, $buf, 65536, 0)) {
    if ($!{ENOBUFS}) { print qq({"lost":true}\n); $unflushed = 1; next; }
    next if $!{EINTR};
    die "reading process events: $!\n";
  }
  next if length $buf < $event_at + 24;
  my ($what, $cpu, $ts, $pid, $tgid) = unpack("x$event_at L L Q L L", $buf);
  next unless $what == PROC_EVENT_EXEC && $pid == $tgid;
  my $cgroup = slurp("/proc/$pid/cgroup") // next;
  my ($container) = $cgroup =~ m{/lxc\.payload\.([^/\s]+)} or next;
  my $cmdline = slurp("/proc/$pid/cmdline") // next;
  my $stat = slurp("/proc/$pid/stat") // next;
  # stat's fields after the command name, which may hold spaces and parentheses: [1] is ppid,
  # [19] the start time.
  my @fields = split / /, substr($stat, rindex($stat, ')') + 2);
  $cmdline =~ s/\0+$//;
  my @argv = map { json_string($_) } split /\0/, $cmdline, -1;
  @argv = () if $cmdline eq '';
  # Standard input, output and error as the program got them (null when closed): the daemon's
  # stdio-socket and relay checks need not read them again.
  my @fds = map { my $link = readlink("/proc/$pid/fd/$_"); defined $link ? json_string($link) : 'null' } 0 .. 2;
  # Who owns /proc/<pid>: the effective uid, or the namespace's root for a setuid program.
  my $owner = (stat "/proc/$pid")[4];
  print '{"ts":', $ts, ',"pid":', $pid, ',"ppid":', ($fields[1] // 0),
    ',"start":', ($fields[19] // 0), (defined $owner ? (',"owner":', $owner) : ()),
    ',"container":', json_string($container),
    ',"argv":[', join(',', @argv), '],"fds":[', join(',', @fds), "]}\n";
  $unflushed = 1;
}
