// Shared by the C load clients (bench/runtime/fanout-client.c, bench/live/sse-load.c): one thread,
// non-blocking sockets, one edge-triggered epoll loop, HTTP/1.1 responses (Content-Length, chunked
// or until close) and a streaming Server-Sent Events parser. Header only: each client is built with
// one `cc -O2 file.c` and includes this file.
//
// A program that includes it defines the two hooks declared below (on_frame, on_subscriber_failed)
// and drives the loop with run_until().
#ifndef LOAD_CLIENT_H
#define LOAD_CLIENT_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

// ---------------------------------------------------------------------------------------------
// Small utilities

static inline void die(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vfprintf(stderr, format, arguments);
    va_end(arguments);
    fputc('\n', stderr);
    exit(1);
}

/// CLOCK_MONOTONIC in milliseconds.
static inline double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

typedef struct Buffer {
    char *bytes;
    size_t length, capacity;
} Buffer;

/// Appends and keeps one spare byte so that the content can always be NUL-terminated.
static inline void buffer_append(Buffer *b, const char *bytes, size_t length) {
    if (b->length + length + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 256;
        while (b->length + length + 1 > capacity) capacity *= 2;
        char *grown = realloc(b->bytes, capacity);
        if (!grown) die("out of memory");
        b->bytes = grown;
        b->capacity = capacity;
    }
    memcpy(b->bytes + b->length, bytes, length);
    b->length += length;
    b->bytes[b->length] = '\0';
}

/// JavaScript's `Number(x.toFixed(digits))` as JSON.stringify prints it: fixed digits, then trailing
/// zeros (and a trailing dot) removed.
static inline const char *js_fixed(char *out, size_t size, double x, int digits) {
    snprintf(out, size, "%.*f", digits, x);
    if (strchr(out, '.')) {
        size_t length = strlen(out);
        while (length > 0 && out[length - 1] == '0') out[--length] = '\0';
        if (length > 0 && out[length - 1] == '.') out[--length] = '\0';
    }
    if (strcmp(out, "-0") == 0) strcpy(out, "0");
    return out;
}

/// VmRSS of a process, in KiB.
static inline long resident_kib(long pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *file = fopen(path, "r");
    if (!file) die("cannot read %s: %s", path, strerror(errno));
    long kib = -1;
    while (fgets(line, sizeof line, file)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(file);
    if (kib < 0) die("no VmRSS in %s", path);
    return kib;
}

/// utime + stime of a process, in seconds.
static inline double cpu_seconds(long pid) {
    char path[64], text[2048];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *file = fopen(path, "r");
    if (!file) die("cannot read %s: %s", path, strerror(errno));
    size_t length = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[length] = '\0';
    char *field = strrchr(text, ')');
    if (!field) die("unexpected %s", path);
    field += 2; // ") " then field 3 (state)
    unsigned long long ticks[2] = {0, 0};
    for (int index = 0; index <= 12 && field; index++) { // utime and stime: fields 14 and 15
        if (index == 11) ticks[0] = strtoull(field, NULL, 10);
        if (index == 12) ticks[1] = strtoull(field, NULL, 10);
        field = strchr(field, ' ');
        if (field) field++;
    }
    return (double)(ticks[0] + ticks[1]) / (double)sysconf(_SC_CLK_TCK);
}

/// This process's own CPU (user + system), in seconds.
static inline double own_cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// Raises the soft limit on open files to at least `needed` (up to the hard limit, or beyond it when
/// privileged).
static inline void raise_file_limit(rlim_t needed) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    if (limit.rlim_cur >= needed) return;
    struct rlimit wanted = limit;
    wanted.rlim_cur = needed;
    if (wanted.rlim_max != RLIM_INFINITY && wanted.rlim_max < needed) wanted.rlim_max = needed;
    if (setrlimit(RLIMIT_NOFILE, &wanted) == 0) return;
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < needed)
        fprintf(stderr, "warning: open-file limit %llu is below the %llu needed\n",
                (unsigned long long)limit.rlim_cur, (unsigned long long)needed);
}

// ---------------------------------------------------------------------------------------------
// Connections

enum ConnectionKind { KIND_SUBSCRIBER, KIND_UNARY, KIND_SLOW };
enum ConnectionState { STATE_IDLE, STATE_CONNECTING, STATE_OPEN, STATE_CLOSED };
enum ResponsePhase { PHASE_HEAD, PHASE_BODY, PHASE_DONE };
enum BodyFraming { FRAMING_LENGTH, FRAMING_CHUNKED, FRAMING_CLOSE };
enum ChunkState { CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, CHUNK_TRAILER };

typedef struct Connection {
    int fd;
    unsigned char kind, state, phase, framing, chunk_state;
    unsigned char failed;        // set once; the connection is then closed
    unsigned char reusable;      // the response allows another request on this connection
    unsigned char has_data, has_retry;
    unsigned char trailer_line_empty;
    int status;
    size_t remaining;            // bytes left in the body (FRAMING_LENGTH) or in the chunk
    size_t chunk_size_digits;
    size_t received;             // response bytes received since the request was written
    Buffer out;                  // request bytes not yet written (out.bytes + sent)
    size_t sent;
    Buffer head;                 // the response head, until the blank line
    Buffer line;                 // an SSE line split across reads
    Buffer data;                 // SSE: the current frame's data; unary: the body
    const char *data_view;       // SSE: the frame's first data line, not yet copied into `data` (see sse_line)
    size_t data_view_length;
    char event[24];              // SSE: the current frame's event name
    const char *failure;         // why it failed (static text)
    // Free for the program.
    int index;
    int opened;
    int mark;
} Connection;

static int epoll_fd = -1;
static struct sockaddr_storage server_address;
static socklen_t server_address_length;

/// Hooks the program defines. `data` holds `length` bytes and is not NUL-terminated.
static void on_frame(Connection *c, const char *event, const char *data, size_t length, int has_data, int has_retry);
static void on_subscriber_failed(Connection *c);

static inline void loop_setup(const char *host, const char *port) {
    struct addrinfo hints = {0}, *result = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int error = getaddrinfo(host, port, &hints, &result);
    if (error != 0 || !result) die("cannot resolve %s:%s: %s", host, port, gai_strerror(error));
    memcpy(&server_address, result->ai_addr, result->ai_addrlen);
    server_address_length = result->ai_addrlen;
    freeaddrinfo(result);
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd < 0) die("epoll_create1: %s", strerror(errno));
}

static inline void connection_close(Connection *c) {
    if (c->fd >= 0) close(c->fd); // also leaves the epoll set
    c->fd = -1;
    c->state = STATE_CLOSED;
}

static inline void connection_fail(Connection *c, const char *why) {
    if (c->failed) return;
    c->failed = 1;
    c->failure = why;
    connection_close(c);
    if (c->kind == KIND_SUBSCRIBER) on_subscriber_failed(c);
}

static inline void connection_watch(Connection *c, uint32_t events) {
    struct epoll_event event = {.events = events, .data.ptr = c};
    if (epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &event) != 0) connection_fail(c, "epoll_ctl");
}

static inline void response_reset(Connection *c) {
    c->phase = PHASE_HEAD;
    c->head.length = 0;
    c->line.length = 0;
    c->data.length = 0;
    c->has_data = c->has_retry = 0;
    c->event[0] = '\0';
    c->status = 0;
    c->received = 0;
    c->reusable = 0;
}

/// Writes what is left of the request; then waits for the response (or, for a slow subscriber,
/// for nothing at all: it never reads).
static inline void connection_flush(Connection *c) {
    while (c->sent < c->out.length) {
        ssize_t written = send(c->fd, c->out.bytes + c->sent, c->out.length - c->sent, MSG_NOSIGNAL);
        if (written > 0) {
            c->sent += (size_t)written;
        } else if (written < 0 && errno == EINTR) {
            continue;
        } else if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            connection_watch(c, EPOLLIN | EPOLLOUT | EPOLLET);
            return;
        } else {
            connection_fail(c, "write failed");
            return;
        }
    }
    connection_watch(c, c->kind == KIND_SLOW ? 0 : EPOLLIN | EPOLLET);
}

/// Opens a connection and sends `c->out`.
static inline void connection_open(Connection *c) {
    c->failed = 0;
    c->failure = NULL;
    c->sent = 0;
    response_reset(c);
    c->fd = socket(server_address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        c->state = STATE_CLOSED;
        connection_fail(c, "socket() failed (open-file limit?)");
        return;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->state = STATE_CONNECTING;
    if (connect(c->fd, (struct sockaddr *)&server_address, server_address_length) != 0 && errno != EINPROGRESS) {
        connection_fail(c, "connect failed");
        return;
    }
    // Added after connect(): the first edge is the connection's completion (EPOLLOUT) or failure.
    struct epoll_event event = {.events = EPOLLOUT | EPOLLIN | EPOLLET, .data.ptr = c};
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c->fd, &event) != 0) connection_fail(c, "epoll_ctl");
}

// --- Server-Sent Events --------------------------------------------------------------------

/// Copies the frame's data line that is still a view (sse_line) into `data`.
static inline void sse_keep_data(Connection *c) {
    if (!c->data_view) return;
    buffer_append(&c->data, c->data_view, c->data_view_length);
    c->data_view = NULL;
}

// A frame's first data line is not copied: `data_view` points at it in the bytes being fed (the
// read buffer, or `line` for a line split across reads), and a frame that ends in the same bytes,
// as nearly all do, hands it to on_frame as is. Whatever is still a view when the fed bytes run out
// is copied into `data` (sse_keep_data, called after each read). Copying every event into a buffer
// per connection cost the client a cache miss per line and, each time frames outgrew the buffers,
// one realloc per subscriber in the middle of a fan-out (a slow change in the benchmark).
static inline void sse_line(Connection *c, const char *p, size_t length) {
    if (length > 0 && p[length - 1] == '\r') length--;
    if (length == 0) { // end of frame
        if (c->has_data || c->has_retry || c->event[0]) {
            const char *data = c->data_view ? c->data_view : c->data.bytes ? c->data.bytes : "";
            size_t data_length = c->data_view ? c->data_view_length : c->data.length;
            on_frame(c, c->event[0] ? c->event : "message", data, data_length, c->has_data, c->has_retry);
        }
        c->data_view = NULL;
        c->data.length = 0;
        c->has_data = c->has_retry = 0;
        c->event[0] = '\0';
        return;
    }
    if (p[0] == ':') return; // comment (heartbeat)
    const char *colon = memchr(p, ':', length);
    size_t name_length = colon ? (size_t)(colon - p) : length;
    const char *value = colon ? colon + 1 : p + length;
    size_t value_length = (size_t)(p + length - value);
    if (value_length > 0 && value[0] == ' ') value++, value_length--;
    if (name_length == 4 && memcmp(p, "data", 4) == 0) {
        if (c->has_data) {
            sse_keep_data(c);
            buffer_append(&c->data, "\n", 1);
            buffer_append(&c->data, value, value_length);
        } else {
            c->data_view = value;
            c->data_view_length = value_length;
        }
        c->has_data = 1;
    } else if (name_length == 5 && memcmp(p, "event", 5) == 0) {
        size_t n = value_length < sizeof c->event - 1 ? value_length : sizeof c->event - 1;
        memcpy(c->event, value, n);
        c->event[n] = '\0';
    } else if (name_length == 5 && memcmp(p, "retry", 5) == 0) {
        c->has_retry = 1;
    } // "id" and unknown fields: ignored
}

static inline void sse_feed(Connection *c, const char *p, size_t n) {
    while (n > 0 && !c->failed) {
        const char *newline = memchr(p, '\n', n);
        if (!newline) {
            sse_keep_data(c); // the data view may point into `line`, which this overwrites
            buffer_append(&c->line, p, n);
            return;
        }
        size_t length = (size_t)(newline - p);
        if (c->line.length > 0) {
            buffer_append(&c->line, p, length);
            size_t whole = c->line.length;
            c->line.length = 0; // sse_line never touches c->line: the bytes stay valid during the call
            sse_line(c, c->line.bytes, whole);
        } else {
            sse_line(c, p, length);
        }
        p = newline + 1;
        n -= length + 1;
    }
}

// --- HTTP/1.1 responses ----------------------------------------------------------------------

static inline void body_complete(Connection *c) {
    c->phase = PHASE_DONE;
    if (c->kind == KIND_SUBSCRIBER) connection_fail(c, "the stream ended");
}

static inline void body_bytes(Connection *c, const char *p, size_t n) {
    if (n == 0) return;
    if (c->kind == KIND_SUBSCRIBER) sse_feed(c, p, n);
    else buffer_append(&c->data, p, n);
}

static inline int header_is(const char *line, size_t length, const char *name, const char **value, size_t *value_length) {
    size_t name_length = strlen(name);
    if (length <= name_length || line[name_length] != ':' || strncasecmp(line, name, name_length) != 0) return 0;
    const char *v = line + name_length + 1, *end = line + length;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t')) end--;
    *value = v;
    *value_length = (size_t)(end - v);
    return 1;
}

static inline int contains_token(const char *value, size_t length, const char *token) {
    size_t token_length = strlen(token);
    for (size_t i = 0; i + token_length <= length; i++)
        if (strncasecmp(value + i, token, token_length) == 0) return 1;
    return 0;
}

/// Parses the status line and the headers that frame the body. Returns 0 on a malformed head.
static inline int parse_head(Connection *c) {
    const char *p = c->head.bytes, *end = p + c->head.length;
    if (c->head.length < 12 || strncmp(p, "HTTP/1.", 7) != 0) return 0;
    c->status = atoi(p + 9);
    int http10 = p[7] == '0';
    int chunked = 0, has_length = 0, close_requested = http10;
    size_t length = 0;
    const char *line = memchr(p, '\n', (size_t)(end - p));
    while (line && ++line < end) {
        const char *next = memchr(line, '\n', (size_t)(end - line));
        size_t line_length = (size_t)((next ? next : end) - line);
        if (line_length > 0 && line[line_length - 1] == '\r') line_length--;
        const char *value;
        size_t value_length;
        if (header_is(line, line_length, "transfer-encoding", &value, &value_length)) {
            chunked = contains_token(value, value_length, "chunked");
        } else if (header_is(line, line_length, "content-length", &value, &value_length)) {
            has_length = 1;
            length = strtoull(value, NULL, 10);
        } else if (header_is(line, line_length, "connection", &value, &value_length)) {
            if (contains_token(value, value_length, "close")) close_requested = 1;
            if (contains_token(value, value_length, "keep-alive")) close_requested = 0;
        }
        line = next;
    }
    if (chunked) {
        c->framing = FRAMING_CHUNKED;
        c->chunk_state = CHUNK_SIZE;
        c->remaining = 0;
        c->chunk_size_digits = 0;
    } else if (has_length || c->status == 204 || c->status == 304 || (c->status >= 100 && c->status < 200)) {
        c->framing = FRAMING_LENGTH;
        c->remaining = has_length ? length : 0;
    } else {
        c->framing = FRAMING_CLOSE;
    }
    c->reusable = !close_requested && c->framing != FRAMING_CLOSE;
    return 1;
}

static inline int hex_value(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static inline void chunk_size_line_done(Connection *c) {
    c->chunk_size_digits = 0;
    if (c->remaining == 0) {
        c->chunk_state = CHUNK_TRAILER;
        c->trailer_line_empty = 1;
    } else {
        c->chunk_state = CHUNK_DATA;
    }
}

/// Decodes chunked framing; the payload goes to body_bytes.
static inline void chunked_feed(Connection *c, const char *p, size_t n) {
    while (n > 0 && !c->failed && c->phase == PHASE_BODY) {
        switch (c->chunk_state) {
        case CHUNK_SIZE: {
            char ch = *p++;
            n--;
            int digit = hex_value(ch);
            if (digit >= 0) {
                if (++c->chunk_size_digits > 15) { connection_fail(c, "chunk size too large"); return; }
                c->remaining = c->remaining * 16 + (size_t)digit;
            } else if (c->chunk_size_digits == 0) {
                connection_fail(c, "bad chunk size");
                return;
            } else if (ch == '\n') {
                chunk_size_line_done(c);
            } else if (ch == '\r' || ch == ';' || ch == ' ' || ch == '\t') {
                c->chunk_state = CHUNK_EXTENSION;
            } else {
                connection_fail(c, "bad chunk size");
                return;
            }
            break;
        }
        case CHUNK_EXTENSION:
            if (*p == '\n') chunk_size_line_done(c);
            p++;
            n--;
            break;
        case CHUNK_DATA: {
            size_t take = n < c->remaining ? n : c->remaining;
            body_bytes(c, p, take);
            p += take;
            n -= take;
            c->remaining -= take;
            if (c->remaining == 0) c->chunk_state = CHUNK_DATA_CR;
            break;
        }
        case CHUNK_DATA_CR: // a bare LF is tolerated
        case CHUNK_DATA_LF:
            if (c->chunk_state == CHUNK_DATA_CR && *p == '\r') {
                p++;
                n--;
                c->chunk_state = CHUNK_DATA_LF;
                break;
            }
            if (*p != '\n') { connection_fail(c, "bad chunk end"); return; }
            p++;
            n--;
            c->chunk_state = CHUNK_SIZE;
            c->remaining = 0;
            break;
        case CHUNK_TRAILER: {
            char ch = *p++;
            n--;
            if (ch == '\r') break;
            if (ch == '\n') {
                if (c->trailer_line_empty) { body_complete(c); return; }
                c->trailer_line_empty = 1;
            } else {
                c->trailer_line_empty = 0;
            }
            break;
        }
        }
    }
}

static inline void response_feed(Connection *c, const char *p, size_t n) {
    c->received += n;
    if (c->phase == PHASE_HEAD) {
        size_t before = c->head.length;
        buffer_append(&c->head, p, n);
        size_t from = before >= 3 ? before - 3 : 0;
        char *end = memmem(c->head.bytes + from, c->head.length - from, "\r\n\r\n", 4);
        if (!end) {
            if (c->head.length > 65536) connection_fail(c, "response head too large");
            return;
        }
        size_t head_length = (size_t)(end - c->head.bytes) + 4;
        size_t rest = c->head.length - head_length;
        p += n - rest;
        n = rest;
        c->head.length = head_length - 2; // keep the headers' last CRLF, drop the blank line
        c->head.bytes[c->head.length] = '\0';
        if (!parse_head(c)) { connection_fail(c, "malformed response head"); return; }
        if (c->kind == KIND_SUBSCRIBER && c->status != 200) { connection_fail(c, "status is not 200"); return; }
        c->phase = PHASE_BODY;
        if (c->framing == FRAMING_LENGTH && c->remaining == 0) { body_complete(c); return; }
    }
    if (c->phase != PHASE_BODY || n == 0) return;
    switch (c->framing) {
    case FRAMING_CHUNKED:
        chunked_feed(c, p, n);
        break;
    case FRAMING_LENGTH: {
        size_t take = n < c->remaining ? n : c->remaining;
        body_bytes(c, p, take);
        c->remaining -= take;
        if (c->remaining == 0) body_complete(c);
        break;
    }
    case FRAMING_CLOSE:
        body_bytes(c, p, n);
        break;
    }
}

static char read_buffer[1 << 16];

static inline void connection_readable(Connection *c) {
    for (;;) {
        ssize_t n = recv(c->fd, read_buffer, sizeof read_buffer, 0);
        if (n > 0) {
            response_feed(c, read_buffer, (size_t)n);
            sse_keep_data(c); // the next read reuses read_buffer
            if (c->failed || c->state != STATE_OPEN || c->phase == PHASE_DONE) return;
            // Edge-triggered, yet one recv is enough: a short read means TCP's receive queue was empty
            // at that moment, and any byte that arrives later raises a new edge. This saves the
            // recv() that would only return EAGAIN, and the re-poll of every ready socket that a
            // level-triggered set costs on each epoll_wait.
            if ((size_t)n < sizeof read_buffer) return;
            continue;
        }
        if (n == 0) { // end of stream
            if (c->phase == PHASE_BODY && c->framing == FRAMING_CLOSE) {
                c->reusable = 0;
                body_complete(c);
                connection_close(c);
            } else {
                connection_fail(c, c->received == 0 ? "closed before any response" : "closed mid-response");
            }
            return;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        connection_fail(c, "read failed");
        return;
    }
}

static inline void connection_event(Connection *c, uint32_t events) {
    if (c->state == STATE_CLOSED || c->fd < 0) return;
    if (c->state == STATE_CONNECTING) {
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) { connection_fail(c, "connect failed"); return; }
        c->state = STATE_OPEN;
        connection_flush(c);
        return;
    }
    if (c->kind == KIND_SLOW) { // never reads: only finishes writing its request, or notices a close
        if (events & (EPOLLERR | EPOLLHUP)) {
            c->failed = 1;
            c->failure = "closed by the server";
            connection_close(c);
        } else if (events & EPOLLOUT) {
            connection_flush(c);
        }
        return;
    }
    if (events & EPOLLOUT) {
        connection_flush(c);
        if (c->failed) return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) connection_readable(c);
}

/// Runs the loop until `done(context)` or the deadline (a now_ms() value; 0 = none). Returns whether
/// `done` became true.
static inline int run_until(int (*done)(void *), void *context, double deadline) {
    static struct epoll_event events[4096];
    for (;;) {
        if (done && done(context)) return 1;
        int timeout = 1000;
        if (deadline > 0) {
            double left = deadline - now_ms();
            if (left <= 0) return done ? done(context) : 0;
            if (left < timeout) timeout = (int)left + 1;
        }
        int count = epoll_wait(epoll_fd, events, (int)(sizeof events / sizeof events[0]), timeout);
        if (count < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait: %s", strerror(errno));
        }
        for (int i = 0; i < count; i++) connection_event(events[i].data.ptr, events[i].events);
    }
}

/// Lets the loop run for `ms` milliseconds (the clients' `await sleep(ms)`).
static inline void pause_ms(double ms) { run_until(NULL, NULL, now_ms() + ms); }

// --- Unary requests --------------------------------------------------------------------------

static inline int unary_finished(void *context) {
    Connection *c = context;
    return c->failed || c->phase == PHASE_DONE;
}

/// Sends one request on `c` (reusing its connection when the last response allowed it, else a new
/// one), lets the loop run until the whole response is in, and returns its status, or -1 when the
/// request failed or took longer than `timeout_ms`. The body is in c->data (NUL-terminated).
static inline int unary_request(Connection *c, const char *request, size_t length, double timeout_ms) {
    c->kind = KIND_UNARY;
    for (int attempt = 0; attempt < 2; attempt++) {
        int reused = c->state == STATE_OPEN && c->fd >= 0 && c->reusable && !c->failed;
        if (!reused) {
            connection_close(c);
        }
        c->out.length = 0;
        buffer_append(&c->out, request, length);
        buffer_append(&c->data, "", 0);
        c->data.length = 0;
        if (reused) {
            c->sent = 0;
            response_reset(c);
            connection_flush(c);
        } else {
            connection_open(c);
        }
        int finished = run_until(unary_finished, c, now_ms() + timeout_ms);
        if (finished && !c->failed) {
            if (!c->reusable) connection_close(c);
            return c->status;
        }
        // A kept-alive connection the server closed meanwhile: try once on a fresh one.
        if (!(reused && c->failed && c->received == 0)) break;
    }
    if (!c->failed) connection_close(c);
    return -1;
}

// --- Arguments -------------------------------------------------------------------------------

/// The value after `--name`, or `fallback`.
static inline const char *option(int argc, char **argv, const char *name, const char *fallback) {
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return fallback;
}

static inline int has_flag(int argc, char **argv, const char *name) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

static inline int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
