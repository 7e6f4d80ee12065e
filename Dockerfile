# keyward: multi-stage build on Debian 12, slim non-root runtime.
#   docker build -t keyward .
#   docker run -p 8443:8443 -v keyward-data:/data keyward
# The bootstrap admin key is written to /data/bootstrap-admin.key at first start:
#   docker run --rm -v keyward-data:/data --entrypoint cat keyward /data/bootstrap-admin.key

FROM debian:12 AS build
WORKDIR /src
# The same install script the README and CI use, so all three build alike.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh --build && rm -rf /var/lib/apt/lists/*
COPY . .
RUN rm -rf build && scripts/build.sh -DKEYWARD_TESTS=OFF -DKEYWARD_BENCH=OFF \
    && strip build/keyward

FROM debian:12-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl3 libsodium23 libsqlite3-0 \
       libspdlog1.10 libfmt9 curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --home-dir /data keyward \
    && mkdir -p /data && chown keyward:keyward /data && chmod 0700 /data
COPY --from=build /src/build/keyward /usr/local/bin/keyward
USER keyward
ENV KEYWARD_DATA_DIR=/data KEYWARD_LISTEN=0.0.0.0:8443
VOLUME /data
EXPOSE 8443
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD curl -fsk https://127.0.0.1:8443/healthz || exit 1
ENTRYPOINT ["keyward"]
CMD ["serve"]
