/*
 * taskhub-spawner: starts and watches the executor processes of one agent JVM (Linux).
 *
 * A JVM can start a process only through posix_spawn of a helper and an exec, and cannot make it lead a session,
 * die with its agent or leave nothing behind without more programs per task (setsid, setpriv) and two reader threads
 * each. This one long-lived process, started by the JVM, does it all with one pipe pair:
 *
 *  - Each executor runs under a shim, a fork of this process (no exec), which is a child subreaper: whatever the
 *    executor starts, even in a session of its own (a daemon), is re-parented to the shim when its parent exits, and
 *    the shim kills all of it when the executor ends or is killed. Nothing an executor started outlives its task.
 *  - The executor leads a new session (setsid), so one signal reaches its process group.
 *  - Its stdout and stderr come back to the JVM multiplexed on this process's stdout: no thread per task there.
 *  - When the JVM's end of our stdin closes (the JVM died, kill -9 included) every executor is killed, and so when
 *    the JVM stops sending heartbeats for --fence-ms (it is frozen: a pause, SIGSTOP, a swap storm): its tasks are
 *    about to run elsewhere, and two executors of one task must never run at once.
 *  - Run as root, it can run an executor as another user (that user's uid and primary group, no other group; its
 *    working directory chmod 700 and chown'ed to it) and under resource limits (setrlimit: per process, set between
 *    fork and exec, needing no privilege to lower; cgroups would need a delegated hierarchy). A limit or a change of
 *    user that fails stops the start: the JVM hears which step failed and why ('X').
 *
 * Frames, both ways: a 4-byte length (host order), then that many bytes: an op byte, and for task ops an 8-byte key.
 *   JVM -> spawner   'S' key, then NUL-terminated strings: cwd, uid, gid, nofile, cpu seconds, memory bytes (each
 *                        "" when unset), argc, argv..., envc, env...     start an executor
 *                    'K' key                                           kill it and everything it started
 *                    'H'                                               heartbeat
 *   spawner -> JVM   'P' key, int32 pid                                the executor runs
 *                    'O' key, bytes / 'E' key, bytes                   what it wrote on stdout / stderr
 *                    'X' key, int32 errno, message                     it could not be started (message: "step: error")
 *                    'Q' key, int32 exit code (-1: killed), int32 signal, byte fenced
 *                                                                      it ended, its output is complete, nothing is left
 *                    'F' int32 count                                   the JVM fell silent: that many executors killed
 * The hazard is a JVM that stops reading: output waits in a bounded buffer, then the executors' pipes fill and they
 * block, but the fence timer keeps running.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FRAME (8 * 1024 * 1024)
#define OUT_CAP (4 * 1024 * 1024)
#define CHUNK 32768
#define EOF_GRACE_MS 1000

enum { R_STARTED = 1, R_EXEC_FAILED = 2, R_EXITED = 3 };
struct report { int32_t kind, a, b; };

struct task {
  uint64_t key;
  pid_t shim;
  int out, err, rep;          /* read ends, -1 once at EOF and closed */
  int reaped, exited, fenced;
  int32_t code, sig;
  long reaped_ms;
  struct task *next;
};

static struct task *tasks;
static char *outbuf;
static size_t outlen, outcap;
static long fence_ms;
static long last_heartbeat_ms;
static int fenced_now;

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void die(const char *what) {
  fprintf(stderr, "taskhub-spawner: %s: %s\n", what, strerror(errno));
  exit(2);
}

/* ------------------------------------------------------------------ frames to the JVM */

static void emit(char op, const struct task *t, const void *a, size_t alen, const void *b, size_t blen) {
  uint32_t len = 1 + (t ? 8 : 0) + alen + blen;
  size_t need = outlen + 4 + len;
  if (need > outcap) {
    outcap = need * 2;
    outbuf = realloc(outbuf, outcap);
    if (!outbuf) die("out of memory");
  }
  memcpy(outbuf + outlen, &len, 4); outlen += 4;
  outbuf[outlen++] = op;
  if (t) { memcpy(outbuf + outlen, &t->key, 8); outlen += 8; }
  if (alen) { memcpy(outbuf + outlen, a, alen); outlen += alen; }
  if (blen) { memcpy(outbuf + outlen, b, blen); outlen += blen; }
}

static void flush_out(void) {
  while (outlen > 0) {
    ssize_t n = write(1, outbuf, outlen);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      outlen = 0; /* the JVM is gone; stdin will say so */
      return;
    }
    memmove(outbuf, outbuf + n, outlen - n);
    outlen -= n;
  }
}

/* ------------------------------------------------------------------ the shim: one per executor */

static volatile sig_atomic_t shim_killed;
static volatile pid_t shim_child;

static void on_term(int sig) {
  (void) sig;
  shim_killed = 1;
  if (shim_child > 0) {
    kill(-shim_child, SIGKILL);
    kill(shim_child, SIGKILL);
  }
}

static void close_from(int first, int keep) {
  /* closes every descriptor >= first except keep (or -1) */
  if (keep >= first) {
    if (keep > first) syscall(SYS_close_range, first, keep - 1, 0);
    syscall(SYS_close_range, keep + 1, ~0U, 0);
  } else {
    syscall(SYS_close_range, first, ~0U, 0);
  }
}

/* Kills every child of this process (the escaped descendants re-parented to it) and their groups. */
static void kill_children(void) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/self/task/%d/children", (int) getpid());
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    for (char *p = strtok(buf, " \n"); p; p = strtok(NULL, " \n")) {
      pid_t pid = (pid_t) atoi(p);
      if (pid > 0) { kill(-pid, SIGKILL); kill(pid, SIGKILL); }
    }
    return; /* more than fit in buf are killed on the next round: the caller loops until none is left */
  }
  /* No children file (an old kernel): find them by their parent in /proc. */
  DIR *proc = opendir("/proc");
  if (!proc) return;
  struct dirent *e;
  pid_t self = getpid();
  while ((e = readdir(proc))) {
    pid_t pid = (pid_t) atoi(e->d_name);
    if (pid <= 0) continue;
    snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) continue;
    buf[n] = 0;
    char *close_paren = strrchr(buf, ')');
    int ppid = 0;
    if (close_paren && sscanf(close_paren + 2, "%*c %d", &ppid) == 1 && ppid == self) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
    }
  }
  closedir(proc);
}

static void put_report(int fd, int kind, int a, int b) {
  struct report r = { kind, a, b };
  while (write(fd, &r, sizeof r) < 0 && errno == EINTR) {}
}

struct spawn {
  char *cwd, *uid, *gid, *nofile, *cpu, *mem;
  char **argv, **envp;
};

/* Where the start of an executor failed, told to the JVM with its errno. */
enum { AT_EXEC = 0, AT_LIMITS = 1, AT_GROUPS = 2, AT_CHOWN = 3, AT_USER = 4, AT_CHDIR = 5, AT_STDIO = 6, AT_ARGS = 7 };
static const char *const STAGES[] = {
  "execve", "setrlimit (limits.*)", "setgroups/setgid to the executor's group", "chown of the working directory",
  "setuid to the executor's user", "chdir to the working directory", "standard descriptors", "a user without a group",
};

/* Soft and hard limit alike, but for CPU time: SIGXCPU at the limit says why (128 + 24), SIGKILL a second later. */
static int limit(int resource, const char *value) {
  if (!value || !*value) return 0;
  rlim_t v = (rlim_t) strtoull(value, NULL, 10);
  struct rlimit r = { v, resource == RLIMIT_CPU ? v + 1 : v };
  return setrlimit(resource, &r);
}

/* In the executor, between fork and exec: a session of its own, limits, user, working directory, descriptors. */
static void become_executor(const struct spawn *s, int out_w, int err_w, int errpipe_w) {
  pid_t shim = getppid();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
  setsid();
  int fail = 0, stage = AT_EXEC;
  int has_uid = s->uid && *s->uid, has_gid = s->gid && *s->gid;
  /* Limits are set while still privileged: as root they may also be raised. */
  if (limit(RLIMIT_NOFILE, s->nofile) < 0 || limit(RLIMIT_CPU, s->cpu) < 0 || limit(RLIMIT_AS, s->mem) < 0) {
    fail = errno; stage = AT_LIMITS;
  } else if (has_uid && !has_gid) {
    fail = EINVAL; stage = AT_ARGS; /* never keep the node's supplementary groups under another user */
  } else if (has_gid) {
    /* Exactly the user's primary group: none of the node's supplementary groups. */
    gid_t gid = (gid_t) strtoul(s->gid, NULL, 10);
    if (setgroups(1, &gid) < 0 || setgid(gid) < 0) { fail = errno; stage = AT_GROUPS; }
  }
  if (!fail && has_uid) {
    /* The working directory becomes the user's alone (mode first, while it is still ours); its parents are the node's. */
    uid_t uid = (uid_t) strtoul(s->uid, NULL, 10);
    gid_t gid = (gid_t) strtoul(s->gid, NULL, 10);
    if (chmod(s->cwd, 0700) < 0 || chown(s->cwd, uid, gid) < 0) { fail = errno; stage = AT_CHOWN; }
    else if (setuid(uid) < 0) { fail = errno; stage = AT_USER; }
    /* From root, setuid drops every capability. A node run as another user with ambient capabilities (systemd
       AmbientCapabilities=) keeps them across it and would pass them to the executor through exec: clear them. */
    else if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) { fail = errno; stage = AT_USER; }
  }
  /* After the change of user, which clears it: its shim died, so must it (and the shim may be gone already). */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != shim) _exit(127);
  if (!fail && chdir(s->cwd) < 0) { fail = errno; stage = AT_CHDIR; }
  int devnull = open("/dev/null", O_RDONLY);
  if (!fail && (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)) {
    fail = errno; stage = AT_STDIO;
  }
  if (!fail) {
    close_from(3, errpipe_w);
    execve(s->argv[0], s->argv, s->envp);
    fail = errno;
  }
  int why[2] = { fail, stage };
  while (write(errpipe_w, why, sizeof why) < 0 && errno == EINTR) {}
  _exit(127);
}

static void run_shim(const struct spawn *s, int out_w, int err_w, int rep_w, pid_t spawner) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != spawner) _exit(1); /* the spawner died before the line above */
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  int devnull = open("/dev/null", O_RDWR);
  dup2(devnull, 0);
  dup2(devnull, 1); /* the spawner's pipes to the JVM are not ours to hold */

  int errpipe[2];
  if (pipe2(errpipe, O_CLOEXEC) < 0) {
    put_report(rep_w, R_EXEC_FAILED, errno, 0);
    _exit(0);
  }
  pid_t child = fork();
  if (child == 0) {
    close(errpipe[0]);
    close(rep_w);
    become_executor(s, out_w, err_w, errpipe[1]);
  }
  if (child < 0) {
    put_report(rep_w, R_EXEC_FAILED, errno, 0);
    _exit(0);
  }
  shim_child = child;
  if (shim_killed) on_term(SIGTERM);
  close(out_w); /* the executor holds them now: EOF comes when it, and all it started, are gone */
  close(err_w);
  close(errpipe[1]);
  int why[2] = { 0, 0 };
  ssize_t n;
  while ((n = read(errpipe[0], why, sizeof why)) < 0 && errno == EINTR) {}
  close(errpipe[0]);
  if (n > 0) put_report(rep_w, R_EXEC_FAILED, why[0], why[1]);
  else put_report(rep_w, R_STARTED, child, 0);

  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
  shim_child = 0;
  /* The executor is over: so is everything it started, wherever it went. */
  for (;;) {
    kill(-child, SIGKILL);
    kill_children();
    pid_t w = waitpid(-1, NULL, 0);
    if (w < 0 && errno == ECHILD) break;
  }
  if (WIFEXITED(status)) put_report(rep_w, R_EXITED, WEXITSTATUS(status), 0);
  else put_report(rep_w, R_EXITED, -1, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  _exit(0);
}

/* ------------------------------------------------------------------ the spawner */

static char *next_string(char **p, char *end) {
  char *s = *p;
  char *nul = memchr(s, 0, end - s);
  if (!nul) return NULL;
  *p = nul + 1;
  return s;
}

static char **string_list(char **p, char *end) {
  char *count = next_string(p, end);
  if (!count) return NULL;
  long n = strtol(count, NULL, 10);
  if (n < 0 || n > 100000) return NULL;
  char **list = calloc(n + 1, sizeof *list);
  for (long i = 0; i < n; i++) {
    if (!(list[i] = next_string(p, end))) { free(list); return NULL; }
  }
  return list;
}

static void start(uint64_t key, char *p, char *end) {
  struct task *t = calloc(1, sizeof *t);
  t->key = key;
  struct spawn s = {0};
  s.cwd = next_string(&p, end);
  s.uid = next_string(&p, end);
  s.gid = next_string(&p, end);
  s.nofile = next_string(&p, end);
  s.cpu = next_string(&p, end);
  s.mem = next_string(&p, end);
  s.argv = s.mem ? string_list(&p, end) : NULL;
  s.envp = s.argv ? string_list(&p, end) : NULL;
  int out[2] = {-1, -1}, err[2] = {-1, -1}, rep[2] = {-1, -1};
  const char *why = NULL;
  if (!s.envp || !s.argv[0]) why = "malformed spawn request";
  else if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0) why = strerror(errno);
  pid_t shim = why ? -1 : fork();
  if (!why && shim < 0) why = strerror(errno);
  if (shim == 0) {
    /* the shim keeps only its three write ends, in their places */
    int keep[3] = { out[1], err[1], rep[1] };
    for (int i = 0; i < 3; i++)
      for (int j = i + 1; j < 3; j++)
        if (keep[j] < keep[i]) { int x = keep[i]; keep[i] = keep[j]; keep[j] = x; }
    int from = 3;
    for (int i = 0; i < 3; i++) {
      if (keep[i] > from) syscall(SYS_close_range, from, keep[i] - 1, 0);
      from = keep[i] + 1;
    }
    syscall(SYS_close_range, from, ~0U, 0);
    run_shim(&s, out[1], err[1], rep[1], getppid());
  }
  free(s.argv);
  free(s.envp);
  if (why) {
    int32_t e = errno;
    emit('X', t, &e, 4, why, strlen(why));
    int32_t code = 127, sig = 0;
    char fenced = 0;
    char q[9];
    memcpy(q, &code, 4); memcpy(q + 4, &sig, 4); q[8] = fenced;
    emit('Q', t, q, 9, NULL, 0);
    for (int i = 0; i < 2; i++) { if (out[i] >= 0) close(out[i]); if (err[i] >= 0) close(err[i]); if (rep[i] >= 0) close(rep[i]); }
    free(t);
    return;
  }
  close(out[1]); close(err[1]); close(rep[1]);
  t->shim = shim;
  t->out = out[0]; t->err = err[0]; t->rep = rep[0];
  fcntl(t->out, F_SETFL, O_NONBLOCK);
  fcntl(t->err, F_SETFL, O_NONBLOCK);
  fcntl(t->rep, F_SETFL, O_NONBLOCK);
  t->next = tasks;
  tasks = t;
}

static struct task *find(uint64_t key) {
  for (struct task *t = tasks; t; t = t->next) if (t->key == key) return t;
  return NULL;
}

static int kill_all(void) {
  int n = 0;
  for (struct task *t = tasks; t; t = t->next) {
    if (!t->reaped) { kill(t->shim, SIGTERM); t->fenced = fenced_now; n++; }
  }
  return n;
}

static void handle(char *frame, uint32_t len) {
  char op = frame[0];
  if (op == 'H') { last_heartbeat_ms = now_ms(); fenced_now = 0; return; }
  if (len < 9) return;
  uint64_t key;
  memcpy(&key, frame + 1, 8);
  if (op == 'S') start(key, frame + 9, frame + len);
  else if (op == 'K') { struct task *t = find(key); if (t && !t->reaped) kill(t->shim, SIGTERM); }
}

/* Reads what is there on one of a task's pipes; closes it at EOF. */
static void drain(struct task *t, int *fd, char op) {
  char buf[CHUNK];
  ssize_t n = read(*fd, buf, sizeof buf);
  if (n > 0) {
    emit(op, t, buf, n, NULL, 0);
  } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
    close(*fd);
    *fd = -1;
  }
}

static void read_reports(struct task *t) {
  struct report r;
  ssize_t n;
  while ((n = read(t->rep, &r, sizeof r)) == sizeof r) {
    if (r.kind == R_STARTED) { int32_t pid = r.a; emit('P', t, &pid, 4, NULL, 0); }
    else if (r.kind == R_EXEC_FAILED) {
      int32_t e = r.a;
      char m[256];
      const char *stage = r.b > 0 && r.b < (int) (sizeof STAGES / sizeof *STAGES) ? STAGES[r.b] : NULL;
      snprintf(m, sizeof m, "%s%s%s", stage ? stage : "", stage ? ": " : "", strerror(e));
      emit('X', t, &e, 4, m, strlen(m));
    } else if (r.kind == R_EXITED) { t->exited = 1; t->code = r.a; t->sig = r.b; }
  }
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) { close(t->rep); t->rep = -1; }
}

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (struct task *t = tasks; t; t = t->next) {
      if (t->shim == pid) { t->reaped = 1; t->reaped_ms = now_ms(); }
    }
  }
}

/* A task is over once its shim is gone and its pipes are at EOF (or stayed open past the grace: nothing of ours). */
static void finish_ended(void) {
  long now = now_ms();
  for (struct task **pp = &tasks; *pp;) {
    struct task *t = *pp;
    if (t->reaped && t->rep >= 0) read_reports(t);
    int over = t->reaped && t->rep < 0 && ((t->out < 0 && t->err < 0) || now - t->reaped_ms > EOF_GRACE_MS);
    if (!over) { pp = &t->next; continue; }
    if (t->out >= 0) { drain(t, &t->out, 'O'); if (t->out >= 0) close(t->out); }
    if (t->err >= 0) { drain(t, &t->err, 'E'); if (t->err >= 0) close(t->err); }
    int32_t code = t->exited ? t->code : -1, sig = t->exited ? t->sig : SIGKILL;
    char q[9];
    memcpy(q, &code, 4); memcpy(q + 4, &sig, 4); q[8] = (char) t->fenced;
    emit('Q', t, q, 9, NULL, 0);
    *pp = t->next;
    free(t);
  }
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--fence-ms") && i + 1 < argc) fence_ms = atol(argv[++i]);
  }
  setsid(); /* a terminal's ^C goes to the JVM, which decides; our end is our stdin closing */
  signal(SIGPIPE, SIG_IGN);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int sfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sfd < 0) die("signalfd");
  fcntl(0, F_SETFD, FD_CLOEXEC);
  fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);
  fcntl(1, F_SETFD, FD_CLOEXEC);

  char *in = malloc(65536);
  size_t inlen = 0, incap = 65536;
  int stdin_open = 1;
  last_heartbeat_ms = now_ms();
  struct pollfd *fds = NULL;
  struct task **owners = NULL;
  char *kinds = NULL;
  size_t fdcap = 0;

  for (;;) {
    size_t count = 0;
    for (struct task *t = tasks; t; t = t->next) count += 3;
    if (count + 3 > fdcap) {
      fdcap = (count + 3) * 2;
      fds = realloc(fds, fdcap * sizeof *fds);
      owners = realloc(owners, fdcap * sizeof *owners);
      kinds = realloc(kinds, fdcap);
    }
    size_t n = 0;
    fds[n] = (struct pollfd) { sfd, POLLIN, 0 }; n++;
    fds[n] = (struct pollfd) { stdin_open ? 0 : -1, POLLIN, 0 }; n++;
    fds[n] = (struct pollfd) { outlen ? 1 : -1, POLLOUT, 0 }; n++;
    int room = outlen < OUT_CAP;
    for (struct task *t = tasks; t; t = t->next) {
      if (t->out >= 0 && room) { fds[n] = (struct pollfd) { t->out, POLLIN, 0 }; owners[n] = t; kinds[n++] = 'O'; }
      if (t->err >= 0 && room) { fds[n] = (struct pollfd) { t->err, POLLIN, 0 }; owners[n] = t; kinds[n++] = 'E'; }
      if (t->rep >= 0) { fds[n] = (struct pollfd) { t->rep, POLLIN, 0 }; owners[n] = t; kinds[n++] = 'R'; }
    }
    int ready = poll(fds, n, 100);
    if (ready < 0 && errno != EINTR) die("poll");

    if (fds[0].revents) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) > 0) {}
      reap();
    }
    if (stdin_open && fds[1].revents) {
      if (inlen == incap) { incap *= 2; in = realloc(in, incap); }
      ssize_t got = read(0, in + inlen, incap - inlen);
      if (got > 0) {
        inlen += got;
        size_t at = 0;
        for (;;) {
          uint32_t len;
          if (inlen - at < 4) break;
          memcpy(&len, in + at, 4);
          if (len == 0 || len > MAX_FRAME) { fprintf(stderr, "taskhub-spawner: bad frame of %u bytes\n", len); exit(2); }
          if (inlen - at - 4 < len) {
            if (len + 4 > incap) { incap = len + 4; in = realloc(in, incap); }
            break;
          }
          handle(in + at + 4, len);
          at += 4 + len;
        }
        memmove(in, in + at, inlen - at);
        inlen -= at;
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        stdin_open = 0; /* the JVM is gone: nothing of its may run on */
        kill_all();
      }
    }
    for (size_t i = 3; i < n; i++) {
      if (!fds[i].revents) continue;
      struct task *t = owners[i];
      if (kinds[i] == 'O' && t->out >= 0) drain(t, &t->out, 'O');
      else if (kinds[i] == 'E' && t->err >= 0) drain(t, &t->err, 'E');
      else if (kinds[i] == 'R' && t->rep >= 0) read_reports(t);
    }
    finish_ended();
    if (fence_ms > 0 && stdin_open && !fenced_now && now_ms() - last_heartbeat_ms > fence_ms) {
      fenced_now = 1;
      int32_t killed = kill_all();
      if (killed > 0) {
        emit('F', NULL, &killed, 4, NULL, 0);
        fprintf(stderr, "taskhub-spawner: no heartbeat from the agent JVM for %ld ms: killed its %d executors\n",
                now_ms() - last_heartbeat_ms, killed);
      }
    }
    if (fenced_now && tasks) kill_all(); /* spawns that arrived during the silence */
    flush_out();
    if (!stdin_open && !tasks) {
      fcntl(1, F_SETFL, fcntl(1, F_GETFL) & ~O_NONBLOCK);
      flush_out();
      return 0;
    }
  }
}
