# syntax=docker/dockerfile:1
# Network Mapper image: one image for every role. The first argument names the built entry and so the
# role: `dist/controller.js` (the chart's Deployment) or `dist/sniffer.js` (the DaemonSet);
# `dist/netmapper.js` runs the CLI. Node runs plain JavaScript from `npm run build` (esbuild).
# Both stages use the same exact Node release on Debian 12, so the native addon (cap) built in the
# first stage links against the same glibc and libpcap soname as the second provides.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
# cap compiles a native addon against libpcap; node-gyp takes Node's headers from the image (no download).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ libpcap0.8-dev \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Compile: the AssemblyScript decoder to WASM and every role to dist/ (esbuild strips types without
# checking them, so type-check here: a type error stops the build).
RUN npm run build \
 && npx tsc --noEmit -p tsconfig.json \
 && test -f dist/decoder.wasm && test -f dist/controller.js && test -f dist/sniffer.js \
 && test -f node_modules/cap/build/Release/cap.node
# Keep only what runs: the production and optional (cap) dependencies; compilers and test tools go.
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20.20.2-bookworm-slim AS runtime
# libpcap0.8: the capture library. cap enables immediate mode through dlopen("libpcap.so"), a name only
# the -dev package ships; the symlink gives it without the headers. fonts-dejavu-core: text in PNG maps.
# tini: PID 1 that forwards SIGTERM and reaps children.
# /opt/netmapper/libpcap-block: a libpcap.so with no pcap_set_immediate_mode (libm), which the chart puts first on
# LD_LIBRARY_PATH for sniffer.captureMode=block. cap then leaves libpcap in block mode (TPACKET_V3), which the sniffer
# benchmark measured lossless at 100k DNS responses/s where immediate mode (one 64 KiB slot per frame) lost 0.7-34 %,
# and cap cannot count those drops. The real libpcap.so above stays for captureMode=immediate.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpcap0.8 fonts-dejavu-core tini \
 && rm -rf /var/lib/apt/lists/* \
 && for d in /usr/lib/*-linux-gnu; do if [ -e "$d/libpcap.so.0.8" ]; then ln -sf libpcap.so.0.8 "$d/libpcap.so"; fi; done \
 && ldconfig \
 && ldconfig -p | grep -q 'libpcap\.so ' \
 && mkdir -p /opt/netmapper/libpcap-block \
 && ln -s "$(ls /usr/lib/*-linux-gnu/libm.so.6 | head -n 1)" /opt/netmapper/libpcap-block/libpcap.so \
 && test -e /opt/netmapper/libpcap-block/libpcap.so \
 && groupadd --gid 65532 netmapper \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin netmapper
WORKDIR /app
COPY --from=build /app/package.json /app/package.json
COPY --from=build /app/node_modules /app/node_modules
COPY --from=build /app/dist /app/dist
ENV NODE_ENV=production
LABEL org.opencontainers.image.title="network-mapper" \
      org.opencontainers.image.description="Who talks to whom in a Kubernetes cluster: sniffer and controller" \
      org.opencontainers.image.licenses="Apache-2.0"
# The controller runs as this user; the chart runs the sniffer as root with only NET_RAW and SYS_PTRACE.
USER 65532:65532
EXPOSE 8080 9090
ENTRYPOINT ["/usr/bin/tini", "--", "node"]
CMD ["dist/controller.js"]
