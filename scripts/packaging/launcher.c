/*
 * Static launcher for the Linux backend: gpx_netdata_linux_<arch>.
 *
 * Grafana execs this file with no shell. It execs the bundled glibc loader on the bundled Node single executable:
 *   <dir>/runtime_linux_<arch>/lib/<ld.so> --library-path <dir>/runtime_linux_<arch>/lib <dir>/runtime_linux_<arch>/backend "$@"
 * so the backend needs nothing from the host: no shell, no libc, no libstdc++ (Grafana's Alpine image has none of
 * these on arm64 and no libstdc++ on x86_64). execve keeps the PID, so the process Grafana stops is Node itself,
 * and argv/env pass through unchanged.
 *
 * Linked statically (gcc -static), so it runs where no libc exists at all.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__)
#define RUNTIME "runtime_linux_amd64"
#define LOADER "ld-linux-x86-64.so.2"
#elif defined(__aarch64__)
#define RUNTIME "runtime_linux_arm64"
#define LOADER "ld-linux-aarch64.so.1"
#else
#error "unsupported architecture"
#endif

#define MAX_ARGS 256

extern char **environ;

/* Grafana reads stderr as hclog JSON lines: an "error" line is shown at error level next to "plugin exited". */
static int fail(const char *what, const char *path, int err) {
  char msg[PATH_MAX + 256];
  int n = snprintf(msg, sizeof msg,
                   "{\"@level\":\"error\",\"@message\":\"gpx_netdata launcher: %s\",\"path\":\"%s\",\"error\":\"%s\"}\n",
                   what, path, strerror(err));
  if (n > 0) {
    ssize_t ignored = write(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
    (void)ignored;
  }
  return 127;
}

int main(int argc, char **argv) {
  char dir[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
  if (n > 0) {
    dir[n] = '\0';
  } else if (argc > 0 && strchr(argv[0], '/') != NULL && strlen(argv[0]) < sizeof dir) {
    /* No /proc (unusual): Grafana starts executables by absolute path, so argv[0] names our file. */
    strcpy(dir, argv[0]);
  } else {
    return fail("cannot find its own path (/proc not mounted?)", argc > 0 ? argv[0] : "", errno ? errno : ENOENT);
  }
  char *slash = strrchr(dir, '/');
  if (slash == NULL) return fail("cannot find its own directory", dir, ENOENT);
  *slash = '\0';

  char loader[PATH_MAX], lib[PATH_MAX], backend[PATH_MAX];
  if (snprintf(loader, sizeof loader, "%s/" RUNTIME "/lib/" LOADER, dir) >= (int)sizeof loader ||
      snprintf(lib, sizeof lib, "%s/" RUNTIME "/lib", dir) >= (int)sizeof lib ||
      snprintf(backend, sizeof backend, "%s/" RUNTIME "/backend", dir) >= (int)sizeof backend) {
    return fail("plugin path too long", dir, ENAMETOOLONG);
  }
  if (argc + 4 > MAX_ARGS) return fail("too many arguments", dir, E2BIG);

  char *args[MAX_ARGS + 1];
  int i = 0;
  args[i++] = loader;
  args[i++] = "--library-path";
  args[i++] = lib;
  args[i++] = backend;
  for (int a = 1; a < argc; a++) args[i++] = argv[a];
  args[i] = NULL;

  execve(loader, args, environ);
  /* Only reached on failure, typically EACCES when the zip lost the loader's exec bit, or ENOENT. */
  return fail("cannot start the bundled runtime", loader, errno);
}
