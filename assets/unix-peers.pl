#!/usr/bin/perl
# The peers of the unix sockets in the network namespace of process ARGV[0], as `ss -x` finds them:
# the kernel's sock_diag interface (NETLINK_SOCK_DIAG, UNIX_DIAG_PEER), asked from inside that
# namespace (setns). Prints "<inode> <peer inode>" per connected unix socket (socketpairs, accepted
# and connecting stream sockets). Needs CAP_SYS_ADMIN; exits non-zero with the reason on stderr.
# Only perl-base modules are used, so it runs on any Debian or Ubuntu host.
use strict;
use warnings;
use Config;
use Socket qw(SOCK_DGRAM);

use constant {
  AF_NETLINK => 16,
  AF_UNIX => 1,
  NETLINK_SOCK_DIAG => 4,
  SOCK_DIAG_BY_FAMILY => 20,
  NLM_F_REQUEST_DUMP => 0x301,
  NLMSG_ERROR => 2,
  NLMSG_DONE => 3,
  UDIAG_SHOW_PEER => 4,
  UNIX_DIAG_PEER => 2,
  CLONE_NEWNET => 0x40000000,
};

# setns(2) by number: perl-base has no syscall.ph.
my %SETNS = (x86_64 => 308, aarch64 => 268, riscv64 => 268, i686 => 346, i386 => 346,
  arm => 375, powerpc64 => 350, powerpc64le => 350, s390x => 339);
my ($arch) = $Config{archname} =~ /^([^-]+)/;
$arch = 'arm' if $arch =~ /^arm/;
my $setns = $SETNS{$arch} // die "no setns syscall number for $Config{archname}\n";

my $pid = $ARGV[0] // die "usage: unix-peers.pl <pid>\n";
$pid =~ /^\d+$/ or die "not a pid: $pid\n";
open(my $ns, '<', "/proc/$pid/ns/net") or die "opening the network namespace of $pid: $!\n";
syscall($setns, fileno($ns), CLONE_NEWNET) == 0 or die "entering the network namespace of $pid: $!\n";

socket(my $sock, AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG) or die "sock_diag socket: $!\n";
# struct unix_diag_req: family, protocol, pad, states (all), ino (any), show, cookie.
my $req = pack('CCSLLLLL', AF_UNIX, 0, 0, 0xffffffff, 0, UDIAG_SHOW_PEER, 0xffffffff, 0xffffffff);
send($sock, pack('LSSLL', 16 + length $req, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST_DUMP, 1, 0) . $req,
  0, pack('SSLL', AF_NETLINK, 0, 0, 0))
  or die "asking sock_diag: $!\n";

$| = 0;
while (1) {
  my $buf;
  defined recv($sock, $buf, 65536, 0) or die "reading sock_diag: $!\n";
  for (my $at = 0; $at + 16 <= length $buf;) {
    my ($len, $type) = unpack("x$at L S", $buf);
    last if $len < 16;
    exit 0 if $type == NLMSG_DONE;
    die "sock_diag refused the request\n" if $type == NLMSG_ERROR;
    # struct unix_diag_msg (16 bytes) after the header, then attributes.
    my ($ino) = unpack('x' . ($at + 20) . ' L', $buf);
    for (my $attr = $at + 32; $attr + 4 <= $at + $len;) {
      my ($alen, $atype) = unpack("x$attr S S", $buf);
      last if $alen < 4;
      if ($atype == UNIX_DIAG_PEER && $alen >= 8) {
        my ($peer) = unpack('x' . ($attr + 4) . ' L', $buf);
        print "$ino $peer\n" if $peer;
      }
      $attr += ($alen + 3) & ~3;
    }
    $at += ($len + 3) & ~3;
  }
}
