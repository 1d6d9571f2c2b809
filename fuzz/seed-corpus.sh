#!/bin/sh
# Copies every YAML and JSON file under the given folders into the libFuzzer corpus folder,
# named by the SHA-1 of its bytes as libFuzzer names its own finds (so re-seeding adds nothing
# twice). Folders that do not exist are skipped.
#
#   fuzz/seed-corpus.sh CORPUS_DIR FOLDER...
set -eu
corpus=$1
shift
mkdir -p "$corpus"
for folder in "$@"; do
    [ -d "$folder" ] || continue
    find "$folder" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -exec sha1sum {} + |
        while read -r sum file; do
            [ -e "$corpus/$sum" ] || cp "$file" "$corpus/$sum"
        done
done
echo "fuzz corpus: $(ls "$corpus" | wc -l) inputs in $corpus"
