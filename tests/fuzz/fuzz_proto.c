/*
 * fuzz_proto.c: libFuzzer target for the MQTT topic parser and the three
 * payload readers.
 *
 * The first byte picks the parser ('t' topic, 'd' desired, 's' status, 'c'
 * command; anything else tries all three payloads), the rest is the input.
 * What a reader accepts must write back to bytes that read back and write
 * back identically; a topic that parses must rebuild to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROUND_TRIP(type, parse, write)                                         \
    do {                                                                       \
        type x, y;                                                             \
        struct taulu_buf a, b;                                                 \
        taulu_buf_init(&a, 1 << 16);                                           \
        taulu_buf_init(&b, 1 << 16);                                           \
        if (parse(in, len, &x, NULL) == 0) {                                   \
            if (write(&x, &a) != 0 || parse(a.data, a.len, &y, NULL) != 0 ||   \
                write(&y, &b) != 0 || a.len != b.len ||                        \
                memcmp(a.data, b.data, a.len) != 0) {                          \
                abort();                                                       \
            }                                                                  \
        }                                                                      \
        taulu_buf_release(&a);                                                 \
        taulu_buf_release(&b);                                                 \
    } while (0)

static void topic(const char *in, size_t len)
{
    char id[TAULU_SCREEN_ID_MAX + 1], t[TAULU_TOPIC_MAX + 1];
    enum taulu_topic_kind k;

    if (taulu_proto_topic_parse(in, len, NULL, id, &k) == 0) {
        if (taulu_proto_topic(t, NULL, id, k) != 0 || strlen(t) != len ||
            memcmp(t, in, len) != 0) {
            abort();
        }
    } else if (id[0] != '\0') {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data + 1;
    size_t len = size ? size - 1 : 0;

    if (size == 0) {
        return 0;
    }
    switch (data[0]) {
    case 't':
        topic(in, len);
        break;
    case 'd':
        ROUND_TRIP(struct taulu_proto_desired, taulu_proto_desired_parse,
                   taulu_proto_desired_write);
        break;
    case 's':
        ROUND_TRIP(struct taulu_proto_status, taulu_proto_status_parse,
                   taulu_proto_status_write);
        break;
    case 'c':
        ROUND_TRIP(struct taulu_proto_command, taulu_proto_command_parse,
                   taulu_proto_command_write);
        break;
    default:
        ROUND_TRIP(struct taulu_proto_desired, taulu_proto_desired_parse,
                   taulu_proto_desired_write);
        ROUND_TRIP(struct taulu_proto_status, taulu_proto_status_parse,
                   taulu_proto_status_write);
        ROUND_TRIP(struct taulu_proto_command, taulu_proto_command_parse,
                   taulu_proto_command_write);
        break;
    }
    return 0;
}
