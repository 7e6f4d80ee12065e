# syntax=docker/dockerfile:1
# keyward: multi-stage build on Debian 12, slim non-root runtime (docs/docker.md).
#   docker build -t keyward .
#   docker run -d --name keyward -p 8443:8443 -v keyward-data:/data keyward
#   docker exec keyward cat /data/bootstrap-admin.key
# scripts/test-container.sh builds and runs this file with podman.

FROM debian:12 AS build
WORKDIR /src
# The same install script the README and CI use, so all three build alike. The apt
# caches persist between builds (cache mounts), so a rebuild downloads nothing.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN --mount=type=cache,target=/var/cache/apt \
    --mount=type=cache,target=/var/lib/apt/lists \
    rm -f /etc/apt/apt.conf.d/docker-clean \
    && echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' \
       > /etc/apt/apt.conf.d/keep-downloads \
    && scripts/install-deps.sh --build
COPY . .
# ccache survives between builds in its cache mount; scripts/build.sh keys it on
# paths relative to /src, so unchanged sources compile in no time.
RUN --mount=type=cache,target=/ccache \
    export CCACHE_DIR=/ccache \
    && rm -rf build && scripts/build.sh -DKEYWARD_TESTS=OFF -DKEYWARD_BENCH=OFF \
    && strip build/keyward && { ccache -s | grep -E "Hits|Misses" || true; }

FROM debian:12-slim
# Only the shared libraries keyward links; no curl: HEALTHCHECK is `keyward health`.
RUN --mount=type=cache,target=/var/cache/apt \
    --mount=type=cache,target=/var/lib/apt/lists \
    rm -f /etc/apt/apt.conf.d/docker-clean \
    && echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' \
       > /etc/apt/apt.conf.d/keep-downloads \
    && apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       libssl3 libsodium23 libsqlite3-0 libpq5 libhiredis0.14 libspdlog1.10 libfmt9 ca-certificates \
    && rm /etc/apt/apt.conf.d/keep-downloads \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /data \
       --shell /usr/sbin/nologin keyward \
    && mkdir -p /data && chown keyward:keyward /data && chmod 0700 /data
COPY --from=build /src/build/keyward /usr/local/bin/keyward
COPY config/keyward.example.json /usr/share/doc/keyward/keyward.example.json
USER 10001:10001
# `keyward serve` reads these (flags > environment > config file); `keyward health`
# derives its URL from them too, so changing the port needs no new HEALTHCHECK.
ENV KEYWARD_DATA_DIR=/data KEYWARD_LISTEN=0.0.0.0:8443
VOLUME /data
EXPOSE 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["keyward", "health"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["keyward"]
CMD ["serve"]
