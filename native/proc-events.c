/*
 * Every exec in an Incus container, as the kernel reports it: the compiled twin of
 * assets/proc-events.pl (same subscription, same reads, same lines), built by `npm run build`
 * with the machine's C compiler. The perl script stays the fallback where no compiled reader
 * is present. Under a test suite's hundreds of execs a second the perl loop cost about half of
 * what the monitor spent per exec, and the later each exec is read, the more short-lived
 * processes are already gone (their cgroup unreadable): see the README's design notes.
 *
 * Prints one JSON line per exec whose cgroup is a container's (`lxc.payload.<name>`):
 *   {"ts":<ns, CLOCK_MONOTONIC>,"pid":…,"ppid":…,"start":<ticks since boot>,"owner":<uid of
 *    /proc/<pid>, absent when gone>,"container":"…",
 *    "argv":[…],"fds":[<fd 0, 1 and 2's link, or null>]}
 * and first {"ready":true,"filtered":true|false} once subscribed ("filtered": the kernel sends
 * only exec events, Linux 6.6+), {"lost":true} when the kernel dropped events (receive buffer
 * full). Needs CAP_NET_ADMIN; exits non-zero with the reason on stderr when it cannot listen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* struct proc_input of Linux 6.6+ (absent from older headers): a subscription with a filter. */
struct filtered_input {
  uint32_t mcast_op;
  uint32_t event_type;
};

static char out[1 << 16];
static size_t out_len;
/* When the last write went out, and when the oldest line not yet written was put (CLOCK_MONOTONIC ns). */
static uint64_t flushed_at, unflushed_since;

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void flush_out(void) {
  size_t done = 0;
  while (done < out_len) {
    ssize_t n = write(STDOUT_FILENO, out + done, out_len - done);
    if (n < 0 && errno == EINTR) continue;
    /* The daemon is gone: nobody reads the events any more. */
    if (n <= 0) exit(0);
    done += (size_t)n;
  }
  out_len = 0;
  flushed_at = now_ns();
}

static void put(const char *s, size_t n) {
  while (n > 0) {
    if (out_len == sizeof out) flush_out();
    size_t room = sizeof out - out_len;
    size_t take = n < room ? n : room;
    memcpy(out + out_len, s, take);
    out_len += take;
    s += take;
    n -= take;
  }
}

static void puts_out(const char *s) { put(s, strlen(s)); }

static void put_uint(unsigned long long v) {
  char digits[24];
  int n = snprintf(digits, sizeof digits, "%llu", v);
  put(digits, (size_t)n);
}

/* A JSON string of raw bytes: quotes and backslashes escaped, control characters as \u00XX. */
static void put_json_string(const char *s, size_t n) {
  put("\"", 1);
  size_t plain = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    put(s + plain, i - plain);
    char esc[8];
    int len = c < 0x20 ? snprintf(esc, sizeof esc, "\\u%04x", c) : snprintf(esc, sizeof esc, "\\%c", c);
    put(esc, (size_t)len);
    plain = i + 1;
  }
  put(s + plain, n - plain);
  put("\"", 1);
}

/* The whole of a file under `dir` (a /proc/<pid>) into *buf (grown as needed); -1 when the
 * process is gone. */
static ssize_t slurp(int dir, const char *name, char **buf, size_t *cap) {
  int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t len = 0;
  for (;;) {
    if (len + 1 >= *cap) {
      size_t bigger = *cap * 2;
      char *grown = realloc(*buf, bigger);
      if (!grown) break;
      *buf = grown;
      *cap = bigger;
    }
    ssize_t n = read(fd, *buf + len, *cap - len - 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      return -1;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  close(fd);
  (*buf)[len] = '\0';
  return (ssize_t)len;
}

/* The container of a cgroup file: the name after the first `/lxc.payload.`, up to / or space. */
static int container_of(const char *cgroup, const char **name, size_t *len) {
  const char *at = strstr(cgroup, "/lxc.payload.");
  if (!at) return 0;
  at += strlen("/lxc.payload.");
  size_t n = strcspn(at, "/ \t\n\r\f\v");
  if (n == 0) return 0;
  *name = at;
  *len = n;
  return 1;
}

/* The kernel's event filter exists from Linux 6.6; older kernels ignore a subscription of that
 * size entirely, so they get the plain one and every event. */
static int kernel_filters(void) {
  struct utsname u;
  int major = 0, minor = 0;
  if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2) return 0;
  return major > 6 || (major == 6 && minor >= 6);
}

static int subscribe(int sock, int filtered) {
  char msg[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(struct filtered_input))];
  memset(msg, 0, sizeof msg);
  struct nlmsghdr *nl = (struct nlmsghdr *)msg;
  struct cn_msg *cn = (struct cn_msg *)NLMSG_DATA(nl);
  struct filtered_input input = {PROC_CN_MCAST_LISTEN, PROC_EVENT_EXEC};
  size_t input_len = filtered ? sizeof input : sizeof input.mcast_op;
  cn->id.idx = CN_IDX_PROC;
  cn->id.val = CN_VAL_PROC;
  cn->len = (uint16_t)input_len;
  memcpy(cn->data, &input, input_len);
  nl->nlmsg_len = (uint32_t)NLMSG_LENGTH(sizeof *cn + input_len);
  nl->nlmsg_type = NLMSG_DONE;
  nl->nlmsg_pid = (uint32_t)getpid();
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  return sendto(sock, msg, nl->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0 ? -1 : 0;
}

static char *cgroup_buf, *cmdline_buf, *stat_buf;
static size_t cgroup_cap = 4096, cmdline_cap = 4096, stat_cap = 1024;

static void report_exec_in(uint64_t ts, int pid, int dir) {
  if (slurp(dir, "cgroup", &cgroup_buf, &cgroup_cap) < 0) return;
  const char *container;
  size_t container_len;
  if (!container_of(cgroup_buf, &container, &container_len)) return;
  ssize_t cmdline_len = slurp(dir, "cmdline", &cmdline_buf, &cmdline_cap);
  if (cmdline_len < 0) return;
  if (slurp(dir, "stat", &stat_buf, &stat_cap) < 0) return;
  /* Who owns /proc/<pid>: the effective uid, or the namespace's root for a setuid program. */
  struct stat owner;
  int owned = fstat(dir, &owner) == 0;
  /* stat's fields after the command name, which may hold spaces and parentheses: the 2nd is
   * the ppid, the 20th the start time. */
  unsigned long long ppid = 0, start = 0;
  char *after = strrchr(stat_buf, ')');
  if (after && after[1] == ' ') {
    char *field = after + 2;
    for (int i = 0; i <= 19 && field; i++) {
      if (i == 1) ppid = strtoull(field, NULL, 10);
      if (i == 19) start = strtoull(field, NULL, 10);
      field = strchr(field, ' ');
      if (field) field++;
    }
  }
  while (cmdline_len > 0 && cmdline_buf[cmdline_len - 1] == '\0') cmdline_len--;

  puts_out("{\"ts\":");
  put_uint(ts);
  puts_out(",\"pid\":");
  put_uint((unsigned long long)pid);
  puts_out(",\"ppid\":");
  put_uint(ppid);
  puts_out(",\"start\":");
  put_uint(start);
  if (owned) {
    puts_out(",\"owner\":");
    put_uint(owner.st_uid);
  }
  puts_out(",\"container\":");
  put_json_string(container, container_len);
  puts_out(",\"argv\":[");
  for (ssize_t i = 0, arg = 0; cmdline_len > 0 && i <= cmdline_len; i++) {
    if (i < cmdline_len && cmdline_buf[i] != '\0') continue;
    if (arg > 0) put(",", 1);
    put_json_string(cmdline_buf + arg, (size_t)(i - arg));
    arg = i + 1;
  }
  /* Standard input, output and error as the program got them (the links of /proc/<pid>/fd/0-2,
   * null when closed): the daemon's stdio-socket and relay checks need not read them again. */
  puts_out("],\"fds\":[");
  for (int fd = 0; fd <= 2; fd++) {
    char target[4096], name[8];
    snprintf(name, sizeof name, "fd/%d", fd);
    ssize_t len = readlinkat(dir, name, target, sizeof target);
    if (fd > 0) put(",", 1);
    if (len < 0) puts_out("null");
    else put_json_string(target, (size_t)len);
  }
  puts_out("]}\n");
}

/* Reads the new program's /proc entries at once, before a short-lived process can exit: each
 * relative to one open /proc/<pid>, which spares a lookup of the pid per read. */
static void report_exec(uint64_t ts, int pid) {
  char path[32];
  snprintf(path, sizeof path, "/proc/%d", pid);
  int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  report_exec_in(ts, pid, dir);
  close(dir);
}

int main(void) {
  cgroup_buf = malloc(cgroup_cap);
  cmdline_buf = malloc(cmdline_cap);
  stat_buf = malloc(stat_cap);
  if (!cgroup_buf || !cmdline_buf || !stat_buf) {
    fputs("out of memory\n", stderr);
    return 1;
  }
  int sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (sock < 0) {
    fprintf(stderr, "netlink socket: %s\n", strerror(errno));
    return 1;
  }
  /* A burst of host-wide events must not overflow the queue while this is busy reading /proc. */
  int rcvbuf = 4 << 20;
  setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  struct sockaddr_nl self = {.nl_family = AF_NETLINK, .nl_pid = (uint32_t)getpid(), .nl_groups = CN_IDX_PROC};
  if (bind(sock, (struct sockaddr *)&self, sizeof self) < 0) {
    fprintf(stderr, "binding to the process-events group: %s\n", strerror(errno));
    return 1;
  }
  int filtered = kernel_filters();
  if (subscribe(sock, filtered) < 0) {
    fprintf(stderr, "subscribing to process events: %s\n", strerror(errno));
    return 1;
  }
  /* The race with a short-lived process is won or lost at wake-up: ahead of busy builds, please. */
  setpriority(PRIO_PROCESS, 0, -10);
  puts_out(filtered ? "{\"ready\":true,\"filtered\":true}\n" : "{\"ready\":true,\"filtered\":false}\n");
  flush_out();

  /* A lone exec is written at once. Within FLUSH_EVERY_NS of the last write, lines wait for the
   * ones queued behind them, up to FLUSH_EVERY_NS: a test suite's hundreds of execs a second are
   * a few hundred writes, and as many wake-ups of the daemon, instead of one per exec. */
  static char buf[65536] __attribute__((aligned(NLMSG_ALIGNTO)));
  const size_t event_at = NLMSG_HDRLEN + sizeof(struct cn_msg);
  const uint64_t FLUSH_EVERY_NS = 2000000;
  for (;;) {
    if (out_len > 0) {
      uint64_t now = now_ns();
      uint64_t wait = now - flushed_at >= FLUSH_EVERY_NS ? 0 : flushed_at + FLUSH_EVERY_NS - now;
      struct pollfd queued = {.fd = sock, .events = POLLIN};
      struct timespec timeout = {.tv_sec = 0, .tv_nsec = (long)wait};
      if (now - unflushed_since >= FLUSH_EVERY_NS || ppoll(&queued, 1, &timeout, NULL) == 0)
        flush_out();
    }
    if (out_len == 0) unflushed_since = now_ns();
    ssize_t n = recv(sock, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == ENOBUFS) {
        puts_out("{\"lost\":true}\n");
        continue;
      }
      if (errno == EINTR) continue;
      fprintf(stderr, "reading process events: %s\n", strerror(errno));
      flush_out();
      return 1;
    }
    if ((size_t)n < event_at + offsetof(struct proc_event, event_data) + sizeof(struct exec_proc_event))
      continue;
    struct proc_event event;
    memcpy(&event, buf + event_at, sizeof event < (size_t)n - event_at ? sizeof event : (size_t)n - event_at);
    if (event.what != PROC_EVENT_EXEC) continue;
    if (event.event_data.exec.process_pid != event.event_data.exec.process_tgid) continue;
    report_exec(event.timestamp_ns, event.event_data.exec.process_pid);
  }
}
