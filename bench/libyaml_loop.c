/*
 * libyaml_loop: the floor for any libyaml-based tool.
 *
 *   libyaml_loop FILE      (or "-" / no argument: standard input)
 *
 * Reads the whole input into memory, then runs yaml_parser_parse until
 * YAML_STREAM_END_EVENT, deleting each event. Prints the event count on
 * stderr. Exits 0 on success, 1 on a parse error (with its position), 2 on an
 * I/O error.
 *
 * Build: cc -O2 -o libyaml_loop libyaml_loop.c $(pkg-config --cflags --libs yaml-0.1)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static unsigned char *read_all(FILE *f, size_t *len) {
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) return NULL;
    for (;;) {
        if (n == cap) {
            cap *= 2;
            unsigned char *nb = realloc(buf, cap);
            if (!nb) { free(buf); return NULL; }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    if (ferror(f)) { free(buf); return NULL; }
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "-";
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) { perror(path); return 2; }
    size_t len = 0;
    unsigned char *data = read_all(f, &len);
    if (!data) { perror(path); return 2; }
    if (f != stdin) fclose(f);

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) { fprintf(stderr, "libyaml_loop: out of memory\n"); return 2; }
    yaml_parser_set_input_string(&parser, data, len);

    unsigned long events = 0;
    int done = 0, rc = 0;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            fprintf(stderr, "libyaml_loop: %s:%lu:%lu: %s %s\n", path,
                    (unsigned long)parser.problem_mark.line + 1,
                    (unsigned long)parser.problem_mark.column + 1,
                    parser.problem ? parser.problem : "parse error",
                    parser.context ? parser.context : "");
            rc = 1;
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        events++;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    free(data);
    if (rc == 0) fprintf(stderr, "libyaml_loop: %lu events, %zu bytes\n", events, len);
    return rc;
}
