#!/usr/bin/env bash
# Lays out the container's root filesystem, used by the `image` Maven profile (Jib copies the
# result into a `scratch` image) and by the Dockerfile. No Docker engine needed.
#
#   /opt/java                 jlinked JRE: only the modules the proxy needs, with its CDS base archive
#   /app/dnssec-proxy.jar     the shaded jar, mtime 1 s after the epoch (as Jib stamps every file)
#   /app/jvm.args             JVM flags for a small sidecar (java @argfile)
#   /app/dnssec-proxy.jsa     AppCDS archive from a short training run of this very JRE and jar
#   /lib*/..., /usr/lib*/...  the shared libraries the JRE links against, copied from this machine
#   /etc/passwd, /etc/group   uid/gid 65532 "nonroot", so the JVM's user lookups succeed
#   /tmp                      mode 1777 here; Kubernetes mounts an emptyDir over it
#
# Usage: build-runtime.sh JAR OUTPUT_ROOT [JDK_HOME]
# JDK_HOME must hold jmods/ (default: $JAVA_HOME, else the JDK of `javac` on PATH).
set -euo pipefail

jar=${1:?usage: build-runtime.sh JAR OUTPUT_ROOT [JDK_HOME]}
root=${2:?usage: build-runtime.sh JAR OUTPUT_ROOT [JDK_HOME]}
jdk=${3:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}}
here=$(cd "$(dirname "$0")" && pwd)

[[ -f $jar ]] || { echo "build-runtime: no jar at $jar (run mvn package first)" >&2; exit 2; }
[[ -d $jdk/jmods ]] || { echo "build-runtime: $jdk has no jmods/ (need a full JDK 17+)" >&2; exit 2; }
case $(uname -m) in x86_64|aarch64) ;; *) echo "build-runtime: unsupported machine $(uname -m)" >&2; exit 2 ;; esac

rm -rf "$root"
mkdir -p "$root/app" "$root/etc" "$root/tmp"
root=$(cd "$root" && pwd)
chmod 1777 "$root/tmp"

# --- modules ---------------------------------------------------------------------------------
# jdeps lists every module any class in the jar refers to. These ones are referred to only from
# optional integrations the proxy never loads, so they stay out (about 15 MB, mostly AWT):
#   java.desktop   Micrometer's Log4j/Logback binders (java.beans)
#   java.sql       Micrometer's DataSource binders, BouncyCastle's LDAP cert store helpers
#   java.compiler  Vert.x's Java-source verticle compiler, Error Prone annotations
#   jdk.jfr        Netty's allocator JFR events (Netty probes for JFR and turns them off)
# Added: jdk.crypto.ec (SunEC, the JDK's fallback for ECDSA/EdDSA if BouncyCastle is not asked).
unused=" java.desktop java.sql java.compiler jdk.jfr "
found=$("$jdk/bin/jdeps" --multi-release 17 --print-module-deps --ignore-missing-deps "$jar")
modules=jdk.crypto.ec
for m in ${found//,/ }; do
  [[ $unused == *" $m "* ]] || modules+=",$m"
done
echo "build-runtime: jdeps found $found; linking $modules"

# No --compress: an uncompressed lib/modules starts faster and is mapped, not read, so it costs
# disk, not memory. --generate-cds-archive writes the base archive the AppCDS archive builds on.
"$jdk/bin/jlink" --add-modules "$modules" --output "$root/opt/java" \
  --strip-debug --no-header-files --no-man-pages --generate-cds-archive
# The no-compressed-oops archive serves heaps over 32 GB only.
rm -f "$root/opt/java/lib/server/classes_nocoops.jsa"
# Tools the sidecar never runs; fewer binaries in the image.
find "$root/opt/java/bin" -type f ! -name java -delete

# --- shared libraries ------------------------------------------------------------------------
# Whatever the JRE's ELF files need, and the native libraries inside the jar (Netty's epoll
# transport, which Netty unpacks to /tmp at start: it needs libdl, which the JRE does not),
# resolved by this machine's loader, copied as plain files under the same paths (the loader in
# the image finds them in its default directories). Other architectures' libraries in the jar
# do not resolve here and add nothing.
in_jar=$(mktemp -d)
(cd "$in_jar" && "$jdk/bin/jar" xf "$jar" META-INF/native)
libs=$(
  { find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) -print0
    find "$in_jar" -type f -name '*.so' -print0; } |
    xargs -0 -n1 sh -c 'ldd "$1" 2>/dev/null || true' ldd |
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u
)
rm -rf "$in_jar"
copied=0
for lib in $libs; do
  [[ $lib == "$root"/* ]] && continue
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
  copied=$((copied + 1))
  # Keep the licence of each library's package beside it (glibc, zlib, libstdc++, libgcc).
  if command -v dpkg >/dev/null; then
    # dpkg knows a file by the path its package installed, before or after the /usr merge.
    pkg=$( (dpkg -S "$lib" || dpkg -S "$(readlink -f "$lib")") 2>/dev/null | head -1 | cut -d: -f1) || true
    if [[ -n $pkg && -f /usr/share/doc/$pkg/copyright ]]; then
      mkdir -p "$root/usr/share/doc/$pkg" && cp "/usr/share/doc/$pkg/copyright" "$root/usr/share/doc/$pkg/"
    fi
  fi
done
echo "build-runtime: copied $copied shared libraries from this machine"

# --- users -----------------------------------------------------------------------------------
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"

# --- application -----------------------------------------------------------------------------
cp "$jar" "$root/app/dnssec-proxy.jar"
cp "$here/jvm.args" "$root/app/jvm.args"
# AppCDS checks the jar's size and mtime at start-up; Jib stamps every file with 1970-01-01T00:00:01Z,
# so train on a jar with that very mtime.
touch -d @1 "$root/app/dnssec-proxy.jar"
"$here/train-cds.sh" "$root"
