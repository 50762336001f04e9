// Thread affinity calls that Glibc does not expose to Swift (they need _GNU_SOURCE). No logic lives
// here.
#ifndef CAFFINITY_SHIM_H
#define CAFFINITY_SHIM_H
#ifdef __linux__
#include <sched.h>
#include <sys/types.h>
extern int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask);
extern int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask);
#endif
#endif
