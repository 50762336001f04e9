// Load client for the live-query benchmark, in C: the drop-in replacement of sse-load.mjs (same
// options, same JSON line plus an `errors` count), costing about 2 µs of CPU per received event,
// kernel included, instead of Node's ten or more, so that the client does not dominate the tail.
//
//   cc -O2 -o sse-load bench/live/sse-load.c
//   sse-load --url http://127.0.0.1:8080 --pid 1234 --function participants.stream
//       --session ABC234 --subscribers 10000 --changes 20 [--slow 1] [--pause-ms 300] [--stats]
//
// N subscribers on one participants stream of one session (HTTP/1.1 GET with Accept:
// text/event-stream, in batches of 500, each waiting for its first `next` event), M changes
// (participants.join, one at a time), measuring change→receive latency at every subscriber: from just
// before the join is sent to the moment the subscriber has the whole first frame that contains the new
// participant's name (CLOCK_MONOTONIC). Also server RSS per subscriber (VmRSS with the subscribers
// idle) and server CPU per delivered event (utime + stime from /proc/PID/stat during the change phase).
// `--slow N` adds N raw sockets that send their request and never read. `missed` counts
// (subscriber, change) pairs not seen within 15 s of the join's response; `errors` counts subscribers
// that failed to connect, got a status other than 200, saw an `error` event or lost their stream.
// Against the Swift server it also reports the server's own fan-out times from its
// `remote_live_fanout_duration_seconds` histogram over the change phase: `server_fanout_mean_ms` (from a
// new value to its write to the last subscriber's socket) and `server_fanouts_over_50ms`.
// `--stats` also writes the latency percentiles (p0 … p99), the first and last receive of each change,
// and the client's own CPU per received event to stderr.
#include "../load-client.h"

/// The server's fan-out histogram (Swift server only): from a new value to its last subscriber's write.
#define FANOUT "remote_live_fanout_duration_seconds"

static int subscriber_count;
static long events;            // `next` events received, all subscribers
static int active;             // opened and not failed
static int errors;
static int change;             // the current change (1…M); 0 before the first
static char marker[96];        // "\"bench-RUN-K\"": the new participant's name, quoted as in JSON
static size_t marker_length;
static double marker_sent_at;
static int seen;               // subscribers that saw the current marker
static double *latencies;
static double change_first[1024], change_last[1024]; // per change (1…1023): earliest and latest receive
static size_t latency_count, latency_capacity;

static const char *first_failure;

static void on_subscriber_failed(Connection *c) {
    if (!first_failure) first_failure = c->failure;
    errors++;
    if (c->opened) active--;
}

static void on_frame(Connection *c, const char *event, const char *data, size_t length, int has_data, int has_retry) {
    (void)has_data;
    (void)has_retry;
    if (strcmp(event, "error") == 0) {
        connection_fail(c, "error event");
        return;
    }
    if (strcmp(event, "next") != 0) return;
    events++;
    if (!c->opened) {
        c->opened = 1;
        active++;
    }
    if (change > 0 && c->mark != change && memmem(data, length, marker, marker_length)) {
        c->mark = change;
        double latency = now_ms() - marker_sent_at;
        if (latency_count < latency_capacity) latencies[latency_count++] = latency;
        if (change < 1024) {
            if (change_first[change] == 0 || latency < change_first[change]) change_first[change] = latency;
            if (latency > change_last[change]) change_last[change] = latency;
        }
        seen++;
    }
}

static Connection *batch;
static int batch_length;

static int batch_settled(void *context) {
    (void)context;
    for (int i = 0; i < batch_length; i++)
        if (!batch[i].opened && !batch[i].failed) return 0;
    return 1;
}

static int all_seen(void *context) {
    (void)context;
    return seen >= active;
}

static char host[256], port[16];

/// encodeURIComponent.
static void uri_component(char *out, size_t size, const char *text) {
    static const char *keep = "-_.!~*'()";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && o + 4 < size; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(keep, *p))
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, size - o, "%%%02X", *p);
    }
    out[o] = '\0';
}

/// One request on a fresh connection (`Connection: close`), as the Node client's non-keep-alive agent.
static int request(Connection *c, const char *method, const char *path, const char *body) {
    char text[2048];
    int length;
    if (body)
        length = snprintf(text, sizeof text,
                          "%s %s HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: %zu\r\n"
                          "Host: %s:%s\r\nConnection: close\r\n\r\n%s",
                          method, path, strlen(body), host, port, body);
    else
        length = snprintf(text, sizeof text, "%s %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n", method,
                          path, host, port);
    if (length < 0 || (size_t)length >= sizeof text) die("request too long");
    return unary_request(c, text, (size_t)length, 60000);
}

/// The sum of every /metrics line that starts with `name`.
static double metric(const char *name) {
    Connection c = {.fd = -1};
    int status = request(&c, "GET", "/metrics", NULL);
    if (status != 200) die("GET /metrics failed: %d", status);
    double total = 0;
    size_t name_length = strlen(name);
    for (char *line = c.data.bytes; line && *line;) {
        char *end = strchr(line, '\n');
        if (end) *end = '\0';
        if (strncmp(line, name, name_length) == 0) {
            char *value = strrchr(line, ' ');
            total += strtod(value ? value + 1 : line, NULL);
        }
        line = end ? end + 1 : NULL;
    }
    free(c.data.bytes);
    free(c.out.bytes);
    free(c.head.bytes);
    free(c.line.bytes);
    return total;
}

int main(int argc, char **argv) {
    const char *url = option(argc, argv, "--url", "http://127.0.0.1:8080");
    const char *pid_text = option(argc, argv, "--pid", NULL);
    const char *function = option(argc, argv, "--function", "participants.stream");
    const char *session = option(argc, argv, "--session", NULL);
    subscriber_count = atoi(option(argc, argv, "--subscribers", "10000"));
    int changes = atoi(option(argc, argv, "--changes", "20"));
    int slow_count = atoi(option(argc, argv, "--slow", "0"));
    double pause = atof(option(argc, argv, "--pause-ms", "300"));
    int stats = has_flag(argc, argv, "--stats");
    if (!pid_text || !session || subscriber_count <= 0 || changes <= 0 || slow_count < 0)
        die("usage: sse-load --url http://HOST:PORT --pid SERVER_PID --function F --session CODE "
            "[--subscribers N] [--changes M] [--slow S] [--pause-ms MS] [--stats]");
    long pid = atol(pid_text);
    if (strncmp(url, "http://", 7) != 0) die("--url must start with http://");
    const char *authority = url + 7, *slash = strchr(authority, '/');
    size_t authority_length = slash ? (size_t)(slash - authority) : strlen(authority);
    const char *colon = memchr(authority, ':', authority_length);
    size_t host_length = colon ? (size_t)(colon - authority) : authority_length;
    if (host_length == 0 || host_length >= sizeof host) die("bad --url %s", url);
    memcpy(host, authority, host_length);
    host[host_length] = '\0';
    if (colon) snprintf(port, sizeof port, "%.*s", (int)(authority_length - host_length - 1), colon + 1);
    else strcpy(port, "80");

    char run_id[7];
    {
        static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        unsigned long seed = (unsigned long)t.tv_nsec ^ ((unsigned long)t.tv_sec << 20) ^ (unsigned long)getpid();
        for (int i = 0; i < 6; i++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            run_id[i] = digits[(seed >> 33) % 36];
        }
        run_id[6] = '\0';
    }

    raise_file_limit((rlim_t)subscriber_count + (rlim_t)slow_count + 64);
    loop_setup(host, port);
    latency_capacity = (size_t)subscriber_count * (size_t)changes;
    latencies = malloc(latency_capacity * sizeof *latencies);
    Connection *subscribers = calloc((size_t)subscriber_count, sizeof *subscribers);
    Connection *slow = calloc((size_t)slow_count + 1, sizeof *slow);
    if (!latencies || !subscribers || !slow) die("out of memory");

    char arguments[256], encoded[800], stream_path[1024];
    snprintf(arguments, sizeof arguments, "{\"sessionCode\":\"%s\"}", session);
    uri_component(encoded, sizeof encoded, arguments);
    snprintf(stream_path, sizeof stream_path, "/_remote/%s?args=%s", function, encoded);
    char subscribe[1400], never_reads[1400];
    int subscribe_length = snprintf(subscribe, sizeof subscribe,
                                    "GET %s HTTP/1.1\r\naccept: text/event-stream\r\nHost: %s:%s\r\n"
                                    "Connection: close\r\n\r\n",
                                    stream_path, host, port);
    int never_reads_length = snprintf(never_reads, sizeof never_reads,
                                      "GET %s HTTP/1.1\r\nHost: %.*s\r\nAccept: text/event-stream\r\n\r\n",
                                      stream_path, (int)authority_length, authority);

    long rss_before = resident_kib(pid);
    for (int i = 0; i < subscriber_count; i += 500) {
        batch = subscribers + i;
        batch_length = subscriber_count - i < 500 ? subscriber_count - i : 500;
        for (int j = 0; j < batch_length; j++) {
            Connection *c = &batch[j];
            c->fd = -1;
            c->kind = KIND_SUBSCRIBER;
            c->index = i + j;
            buffer_append(&c->out, subscribe, (size_t)subscribe_length);
            connection_open(c);
        }
        if (!run_until(batch_settled, NULL, now_ms() + 60000))
            for (int j = 0; j < batch_length; j++)
                if (!batch[j].opened) connection_fail(&batch[j], "no first event within 60 s");
    }
    if (errors > 0)
        fprintf(stderr, "sse-load: %d of %d subscribers failed to open (first: %s)\n", errors, subscriber_count,
                first_failure ? first_failure : "?");
    if (active == 0) die("sse-load: no subscriber opened");
    pause_ms(1000);
    long rss_after = resident_kib(pid);
    for (int i = 0; i < slow_count; i++) {
        slow[i].fd = -1;
        slow[i].kind = KIND_SLOW;
        buffer_append(&slow[i].out, never_reads, (size_t)never_reads_length);
        connection_open(&slow[i]);
    }
    pause_ms(200);

    double evaluations_before = metric("remote_live_evaluations_total");
    double fanouts_before = metric(FANOUT "_count"), fanout_seconds_before = metric(FANOUT "_sum");
    double fanouts_fast_before = metric(FANOUT "_bucket{le=\"0.05\"}");
    double cpu_before = cpu_seconds(pid), own_cpu_before = own_cpu_seconds();
    long events_before = events;
    double started = now_ms();
    long missing = 0;
    Connection joiner = {.fd = -1};
    for (int k = 1; k <= changes; k++) {
        seen = 0;
        char name[64], body[256];
        snprintf(name, sizeof name, "bench-%s-%d", run_id, k);
        marker_sent_at = now_ms();
        marker_length = (size_t)snprintf(marker, sizeof marker, "\"%s\"", name);
        change = k;
        snprintf(body, sizeof body, "{\"sessionCode\":\"%s\",\"name\":\"%s\"}", session, name);
        int status = request(&joiner, "POST", "/_remote/participants.join", body);
        if (status != 200)
            die("join failed: %d %s", status, status < 0 ? (joiner.failure ? joiner.failure : "timed out") : joiner.data.bytes);
        run_until(all_seen, NULL, now_ms() + 15000);
        missing += subscriber_count - seen;
        pause_ms(pause);
    }
    double elapsed = (now_ms() - started) / 1000;
    double cpu = cpu_seconds(pid) - cpu_before, own_cpu = own_cpu_seconds() - own_cpu_before;
    long delivered = events - events_before;
    double evaluations = metric("remote_live_evaluations_total") - evaluations_before;
    double fanouts = metric(FANOUT "_count") - fanouts_before;
    double fanout_seconds = metric(FANOUT "_sum") - fanout_seconds_before;
    double fanouts_slow = fanouts - (metric(FANOUT "_bucket{le=\"0.05\"}") - fanouts_fast_before);

    qsort(latencies, latency_count, sizeof *latencies, compare_doubles);
    char p50[32] = "null", p99[32] = "null", max[32] = "null";
    if (latency_count > 0) {
        double fractions[2] = {0.5, 0.99};
        char *outputs[2] = {p50, p99};
        for (int i = 0; i < 2; i++) { // latencies[min(n - 1, ceil(n × p) - 1)]
            double exact = (double)latency_count * fractions[i];
            size_t rank = (size_t)exact;
            if ((double)rank < exact) rank++;
            size_t index = rank > 0 ? rank - 1 : 0;
            if (index > latency_count - 1) index = latency_count - 1;
            js_fixed(outputs[i], 32, latencies[index], 2);
        }
        js_fixed(max, sizeof max, latencies[latency_count - 1], 2);
    }
    char per_change[32], polling[48] = "", per_subscriber[32], seconds[32], cpu_per_event[32], fanout[96] = "";
    if (fanouts > 0) {
        char mean[32];
        snprintf(fanout, sizeof fanout, "\"server_fanout_mean_ms\":%s,\"server_fanouts_over_50ms\":%.0f,",
                 js_fixed(mean, sizeof mean, fanout_seconds * 1000 / fanouts, 2), fanouts_slow);
    }
    js_fixed(per_change, sizeof per_change, evaluations / changes, 2);
    size_t function_length = strlen(function);
    if (function_length >= 7 && strcmp(function + function_length - 7, "Polling") == 0) {
        // The polling stream reads once a second per subscriber whatever happens: derived, not counted.
        char reads[32];
        snprintf(polling, sizeof polling, "\"polling_reads_per_change\":%s,",
                 js_fixed(reads, sizeof reads, subscriber_count * elapsed / changes, 0));
    }
    js_fixed(per_subscriber, sizeof per_subscriber, (double)(rss_after - rss_before) / subscriber_count, 2);
    js_fixed(seconds, sizeof seconds, elapsed, 1);
    js_fixed(cpu_per_event, sizeof cpu_per_event, cpu * 1e6 / (double)(delivered > 1 ? delivered : 1), 1);
    printf("{\"function\":\"%s\",\"subscribers\":%d,\"changes\":%d,\"slow\":%d,\"p50_ms\":%s,\"p99_ms\":%s,"
           "\"max_ms\":%s,\"missed\":%ld,\"evaluations_per_change\":%s,%s\"rss_kib_per_subscriber\":%s,"
           "\"events_delivered\":%ld,\"seconds\":%s,\"cpu_us_per_event\":%s,%s\"errors\":%d}\n",
           function, subscriber_count, changes, slow_count, p50, p99, max, missing, per_change, polling,
           per_subscriber, delivered, seconds, cpu_per_event, fanout, errors);
    fflush(stdout);
    int slow_closed = 0;
    for (int i = 0; i < slow_count; i++) slow_closed += slow[i].failed;
    if (slow_closed > 0) fprintf(stderr, "sse-load: %d of %d never-reading subscribers were closed\n", slow_closed, slow_count);
    if (missing > 0)
        fprintf(stderr, "sse-load: %zu of %ld (subscriber, change) latencies received\n", latency_count,
                (long)subscriber_count * changes);
    if (stats && latency_count > 0) {
        fprintf(stderr, "sse-load: latency percentiles (ms):");
        double fractions[] = {0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99};
        for (size_t i = 0; i < sizeof fractions / sizeof *fractions; i++)
            fprintf(stderr, " p%g=%.1f", fractions[i] * 100, latencies[(size_t)((double)(latency_count - 1) * fractions[i])]);
        fprintf(stderr, "\n");
    }
    if (stats) {
        fprintf(stderr, "sse-load: first/last receive per change (ms):");
        for (int i = 1; i <= changes && i < 1024; i++) fprintf(stderr, " %.1f/%.1f", change_first[i], change_last[i]);
        fprintf(stderr, "\n");
    }
    if (stats)
        fprintf(stderr, "sse-load: client CPU %.2f µs per received event (%.3f s for %ld)\n",
                delivered > 0 ? own_cpu * 1e6 / (double)delivered : 0.0, own_cpu, delivered);
    return 0;
}
