// System headers that Glibc does not expose to Swift. No logic lives here.
#ifndef CEPOLL_SHIM_H
#define CEPOLL_SHIM_H
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <poll.h>
extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
#else
#include <poll.h>
#include <sys/socket.h>
#endif
#endif
