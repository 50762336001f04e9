// Fan-out load generator for bench.fanout / bench.publish (docs/PROTOCOL.md), in C: the drop-in
// replacement of fanout-client.mjs (same options, same JSON line), costing about a microsecond of
// CPU per received event instead of Node's ten or more, so that the client does not dominate the tail.
//
//   cc -O2 -o fanout-client bench/runtime/fanout-client.c
//   fanout-client --host 127.0.0.1 --port PORT --pid SERVER_PID [--subscribers 2000] [--events 1000] [--stats]
//
// Opens N subscribers (one HTTP/1.1 connection each, in batches of 100, each waiting for its opening
// `retry:` frame), waits until the server reports all of them subscribed (probe publishes), reads the
// server's RSS with the subscribers idle, then publishes E events one after another (each publish waits
// for its response, on one kept-alive connection) and measures, for every (subscriber, event) pair, the
// time from just before the publish is sent to the moment the subscriber has the whole frame
// (CLOCK_MONOTONIC). Prints one JSON object. `errors` counts subscribers that failed to connect, got a
// status other than 200, saw an `error` event or lost their stream; `received` against
// subscribers × events says whether any delivery is missing (`complete` is true only if none is).
// `--stats` also writes the client's own CPU per received event to stderr.
#include "../load-client.h"

static int subscriber_count, event_count;
static double *latencies;
static size_t latency_count, latency_capacity;
static double last_receive;
static int errors;                // subscribers that failed
static int active;                // opened and not failed
static int finished;              // subscribers that received every event
static int failed_unfinished;     // failed before receiving every event

static const char *first_failure;

static void on_subscriber_failed(Connection *c) {
    if (!first_failure) first_failure = c->failure;
    errors++;
    if (c->opened) active--;
    if (c->mark < event_count) failed_unfinished++;
}

static void on_frame(Connection *c, const char *event, const char *data, size_t length, int has_data, int has_retry) {
    (void)has_data;
    if (has_retry) { // the opening frame
        if (!c->opened) {
            c->opened = 1;
            active++;
        }
        return;
    }
    if (strcmp(event, "error") == 0) {
        connection_fail(c, "error event");
        return;
    }
    if (strcmp(event, "next") != 0) return;
    if (memmem(data, length, "\"probe\"", 7)) return;
    double now = now_ms();
    const char *t = memmem(data, length, "\"t\"", 3);
    if (!t) return;
    t += 3;
    const char *end = data + length;
    while (t < end && (*t == ' ' || *t == ':')) t++;
    char number[32]; // `data` is not NUL-terminated
    size_t digits = (size_t)(end - t) < sizeof number - 1 ? (size_t)(end - t) : sizeof number - 1;
    memcpy(number, t, digits);
    number[digits] = '\0';
    double sent = strtod(number, NULL);
    if (latency_count < latency_capacity) latencies[latency_count++] = now - sent;
    last_receive = now;
    if (++c->mark == event_count) finished++;
}

static Connection *batch;
static int batch_length;

static int batch_settled(void *context) {
    (void)context;
    for (int i = 0; i < batch_length; i++)
        if (!batch[i].opened && !batch[i].failed) return 0;
    return 1;
}

static int all_received(void *context) {
    (void)context;
    return finished + failed_unfinished >= subscriber_count;
}

static const char *host, *port;
static Connection publisher = {.fd = -1};

/// POSTs `body` to bench.publish; returns the response's `delivered`, or -1.
static long publish(const char *body) {
    char request[1024];
    int length = snprintf(request, sizeof request,
                          "POST /_remote/bench.publish HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
                          "Content-Length: %zu\r\nConnection: keep-alive\r\n\r\n%s",
                          host, port, strlen(body), body);
    int status = unary_request(&publisher, request, (size_t)length, 60000);
    if (status != 200) {
        fprintf(stderr, "fanout-client: publish %s: %s %d %s\n", body,
                status < 0 ? (publisher.failure ? publisher.failure : "timed out") : "status", status,
                status < 0 ? "" : publisher.data.bytes);
        return -1;
    }
    const char *delivered = strstr(publisher.data.bytes, "\"delivered\"");
    if (!delivered) return -1;
    delivered += 11;
    while (*delivered == ' ' || *delivered == ':') delivered++;
    return strtol(delivered, NULL, 10);
}

int main(int argc, char **argv) {
    host = option(argc, argv, "--host", "127.0.0.1");
    port = option(argc, argv, "--port", NULL);
    const char *pid_text = option(argc, argv, "--pid", NULL);
    subscriber_count = atoi(option(argc, argv, "--subscribers", "2000"));
    event_count = atoi(option(argc, argv, "--events", "1000"));
    int stats = has_flag(argc, argv, "--stats");
    if (!port || !pid_text || subscriber_count <= 0 || event_count <= 0)
        die("usage: fanout-client --host HOST --port PORT --pid SERVER_PID [--subscribers N] [--events E] [--stats]");
    long pid = atol(pid_text);

    raise_file_limit((rlim_t)subscriber_count + 64);
    loop_setup(host, port);
    latency_capacity = (size_t)subscriber_count * (size_t)event_count;
    latencies = malloc(latency_capacity * sizeof *latencies);
    Connection *subscribers = calloc((size_t)subscriber_count, sizeof *subscribers);
    if (!latencies || !subscribers) die("out of memory");

    char request[512];
    int request_length = snprintf(request, sizeof request,
                                  "GET /_remote/bench.fanout HTTP/1.1\r\nHost: %s:%s\r\nAccept: text/event-stream\r\n\r\n",
                                  host, port);

    long rss_before = resident_kib(pid);
    for (int i = 0; i < subscriber_count; i += 100) {
        batch = subscribers + i;
        batch_length = subscriber_count - i < 100 ? subscriber_count - i : 100;
        for (int j = 0; j < batch_length; j++) {
            Connection *c = &batch[j];
            c->fd = -1;
            c->kind = KIND_SUBSCRIBER;
            c->index = i + j;
            buffer_append(&c->out, request, (size_t)request_length);
            connection_open(c);
        }
        if (!run_until(batch_settled, NULL, now_ms() + 60000))
            for (int j = 0; j < batch_length; j++)
                if (!batch[j].opened) connection_fail(&batch[j], "no opening frame within 60 s");
    }
    if (errors > 0)
        fprintf(stderr, "fanout-client: %d of %d subscribers failed to open (first: %s)\n", errors,
                subscriber_count, first_failure ? first_failure : "?");
    if (active == 0) die("fanout-client: no subscriber opened");

    // Every subscriber has its opening frame; wait until the server counts them all as subscribed.
    for (int attempt = 0;; attempt++) {
        long delivered = publish("{\"probe\":true}");
        if (delivered >= active) break;
        if (attempt > 200) die("only %ld of %d subscribed", delivered, active);
        pause_ms(50);
    }
    pause_ms(1000); // let the server settle before reading its idle RSS
    long rss_idle = resident_kib(pid);

    double cpu_before = own_cpu_seconds();
    double start = now_ms();
    int publish_failures = 0;
    for (int seq = 0; seq < event_count; seq++) {
        char body[96];
        snprintf(body, sizeof body, "{\"seq\":%d,\"t\":%.4f}", seq, now_ms());
        if (publish(body) < 0) publish_failures++;
    }
    int complete = run_until(all_received, NULL, now_ms() + 120000) &&
                   latency_count == (size_t)subscriber_count * (size_t)event_count;
    double total_ms = latency_count > 0 ? last_receive - start : 0;
    double cpu = own_cpu_seconds() - cpu_before;

    qsort(latencies, latency_count, sizeof *latencies, compare_doubles);
    char total[32], p50[32], p99[32], per_subscriber[32];
    js_fixed(total, sizeof total, total_ms, 1);
    if (latency_count > 0) {
        size_t i50 = (size_t)(0.5 * (double)latency_count), i99 = (size_t)(0.99 * (double)latency_count);
        if (i50 > latency_count - 1) i50 = latency_count - 1;
        if (i99 > latency_count - 1) i99 = latency_count - 1;
        js_fixed(p50, sizeof p50, latencies[i50], 2);
        js_fixed(p99, sizeof p99, latencies[i99], 2);
    } else {
        strcpy(p50, "null");
        strcpy(p99, "null");
    }
    js_fixed(per_subscriber, sizeof per_subscriber, (double)(rss_idle - rss_before) / subscriber_count, 2);
    printf("{\"subscribers\":%d,\"events\":%d,\"received\":%zu,\"complete\":%s,\"errors\":%d,\"totalMs\":%s,"
           "\"p50Ms\":%s,\"p99Ms\":%s,\"rssBeforeKiB\":%ld,\"rssIdleKiB\":%ld,\"rssPerSubscriberKiB\":%s}\n",
           subscriber_count, event_count, latency_count, complete ? "true" : "false", errors, total, p50, p99,
           rss_before, rss_idle, per_subscriber);
    fflush(stdout);
    if (publish_failures > 0) fprintf(stderr, "fanout-client: %d publishes failed\n", publish_failures);
    if (!complete)
        fprintf(stderr, "fanout-client: received %zu of %zu deliveries\n", latency_count,
                (size_t)subscriber_count * (size_t)event_count);
    if (stats)
        fprintf(stderr, "fanout-client: client CPU %.2f µs per received event (%.3f s for %zu)\n",
                latency_count ? cpu * 1e6 / (double)latency_count : 0.0, cpu, latency_count);
    return 0;
}
