/*
 * libyaml_check: report whether libyaml's event parser accepts each file.
 *
 *   cc -O2 -o /tmp/libyaml_check Tests/Conformance/libyaml_check.c \
 *      $(pkg-config --cflags --libs yaml-0.1)
 *   /tmp/libyaml_check [--shmfix] FILE...
 *
 * For each FILE prints one line:
 *   FILE<TAB>ok
 *   FILE<TAB>error<TAB>LINE:COL<TAB>PROBLEM
 * LINE and COL are 1-based, taken from problem_mark (for reader errors,
 * which carry only a byte offset, they are computed from problem_offset).
 *
 * The parse mirrors shmfix: yaml_parser_set_input_string over the whole
 * file, the encoding left to libyaml's detection (so that a UTF-8 byte order
 * mark is skipped, not read as a character), yaml_parser_parse until
 * YAML_STREAM_END_EVENT.
 *
 * --shmfix additionally applies shmfix's own refusals: UTF-16 or UTF-32 (a
 * byte order mark FF FE / FE FF, or a NUL among the first two bytes), a NUL
 * byte anywhere, a carriage return not followed by a line feed, and
 * collection nesting deeper than MAX_DEPTH.
 *
 * Exit status: 0 if every file is ok, 1 if any is not, 2 on usage/IO error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 1000

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 65536, n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) { fclose(f); return NULL; }
    for (;;) {
        if (n == cap) {
            unsigned char *nb = realloc(buf, cap *= 2);
            if (!nb) { free(buf); fclose(f); return NULL; }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); return NULL; }
    *len = n;
    return buf;
}

/* 1-based line and column (in characters) of a byte offset; a UTF-8 BOM at
 * the start is not counted, as libyaml does not count it. */
static void offset_to_linecol(const unsigned char *s, size_t len, size_t off,
                              unsigned long *line, unsigned long *col)
{
    size_t i = 0;
    unsigned long l = 1, c = 1;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;
    for (; i < off && i < len; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && !(i + 1 < len && s[i + 1] == '\n'))) {
            l++; c = 1;
        } else if (s[i] == '\r') {
            /* CR of a CRLF pair: the LF ends the line */
        } else if ((s[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l; *col = c;
}

static void print_error(const char *path, unsigned long line, unsigned long col,
                        const char *problem)
{
    printf("%s\terror\t%lu:%lu\t%s\n", path, line, col, problem ? problem : "unknown error");
}

static int check(const char *path, int shmfix)
{
    size_t len = 0;
    unsigned char *buf = read_file(path, &len);
    if (!buf) {
        perror(path);
        return 2;
    }

    if (shmfix) {
        if (len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) ||
                         (buf[0] == 0xFE && buf[1] == 0xFF) ||
                         buf[0] == 0 || buf[1] == 0)) {
            print_error(path, 1, 1, "UTF-16 input is not supported");
            free(buf);
            return 1;
        }
        const unsigned char *nul = memchr(buf, 0, len);
        if (nul) {
            unsigned long l, c;
            offset_to_linecol(buf, len, (size_t)(nul - buf), &l, &c);
            print_error(path, l, c, "NUL byte in input");
            free(buf);
            return 1;
        }
        for (size_t i = 0; i < len; i++) {
            if (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n')) {
                unsigned long l, c;
                offset_to_linecol(buf, len, i, &l, &c);
                print_error(path, l, c, "carriage return without a line feed");
                free(buf);
                return 1;
            }
        }
    }

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "%s: yaml_parser_initialize failed\n", path);
        free(buf);
        return 2;
    }
    yaml_parser_set_input_string(&parser, buf, len);

    int rc = 0, depth = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            unsigned long l, c;
            if (parser.error == YAML_READER_ERROR) {
                offset_to_linecol(buf, len, parser.problem_offset, &l, &c);
            } else {
                l = (unsigned long)parser.problem_mark.line + 1;
                c = (unsigned long)parser.problem_mark.column + 1;
            }
            print_error(path, l, c, parser.problem);
            rc = 1;
            break;
        }
        yaml_event_type_t type = event.type;
        if (shmfix && (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT)
            && ++depth > MAX_DEPTH) {
            print_error(path, (unsigned long)event.start_mark.line + 1,
                        (unsigned long)event.start_mark.column + 1,
                        "collections nested too deeply");
            yaml_event_delete(&event);
            rc = 1;
            break;
        }
        if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT)
            depth--;
        yaml_event_delete(&event);
        if (type == YAML_STREAM_END_EVENT) {
            printf("%s\tok\n", path);
            break;
        }
    }

    yaml_parser_delete(&parser);
    free(buf);
    return rc;
}

int main(int argc, char **argv)
{
    int shmfix = 0, first = 1, status = 0;
    if (argc > 1 && strcmp(argv[1], "--shmfix") == 0) { shmfix = 1; first = 2; }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [--shmfix] FILE...\n", argv[0]);
        return 2;
    }
    for (int i = first; i < argc; i++) {
        int r = check(argv[i], shmfix);
        if (r > status) status = r;
    }
    return status;
}
