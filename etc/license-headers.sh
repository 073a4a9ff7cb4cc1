#!/bin/sh
# Puts the Apache-2.0 header (the Spring projects' short form) at the top of every Java source
# of the project that lacks it; idempotent. With --check, changes nothing and fails listing the
# files without it.
#   etc/license-headers.sh          # add where missing
#   etc/license-headers.sh --check  # CI: fail if any file lacks it
set -eu
cd "$(dirname "$0")/.."
HEADER='/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
'
missing=0
for f in $(git ls-files '*.java'); do
    if head -n 5 "$f" | grep -q 'Licensed under the Apache License'; then
        continue
    fi
    if [ "${1:-}" = "--check" ]; then
        echo "no licence header: $f"
        missing=1
    else
        tmp="$f.tmp.$$"
        { printf '%s\n' "$HEADER"; cat "$f"; } > "$tmp" && mv "$tmp" "$f"
    fi
done
exit $missing
