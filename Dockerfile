# Sluice: the AI gateway sidecar.
#
#   docker build -t sluice:0.1.0 .
#   docker run --rm sluice:0.1.0                                  # the quickstart policy (mock provider)
#   docker run --rm -v "$PWD/policy:/etc/sluice:ro" sluice:0.1.0 run --policy /etc/sluice/policy.yaml
#
# Two stages: the official Swift image builds a release binary with the Swift runtime and
# Foundation linked in (--static-swift-stdlib), and a slim Debian runs it as a fixed non-root
# user. The runtime needs only glibc, libstdc++ (both in bookworm-slim) and a CA bundle.

FROM swift:6.3.1-bookworm AS build
WORKDIR /src

# Dependencies first, so editing a source file does not re-fetch them.
COPY Package.swift Package.resolved* ./
RUN swift package resolve

# Tests/ is copied because the manifest declares test targets; only the sluice product is built, with
# the flags scripts/build-release gives it (--static-swift-stdlib among them).
COPY Sources ./Sources
COPY Tests ./Tests
COPY scripts/build-release ./scripts/build-release
RUN scripts/build-release \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/sluice" /out/sluice \
    && strip /out/sluice \
    && /out/sluice --version


FROM debian:bookworm-slim

ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="sluice" \
      org.opencontainers.image.description="An AI gateway that runs as a sidecar beside your app" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="https://github.com/sluice-gateway/sluice" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"

# A named user with the UID the Kubernetes sidecar runs as (runAsUser: 65532), no home, no shell.
RUN groupadd --system --gid 65532 sluice \
    && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin sluice

# The CA bundle comes from the build stage (Debian's ca-certificates package, the same release),
# instead of an apt-get install here: no package lists in the image, no openssl binary pulled
# in, and no version pin to go stale.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/sluice /usr/local/bin/sluice

USER 65532:65532
# The app API (4000) and admin (9901) ports of the quickstart policy. They listen on 127.0.0.1:
# share the container's network namespace with the app (compose: network_mode: service:sluice;
# Kubernetes: same pod), or bind 0.0.0.0 in your policy to publish them.
EXPOSE 4000 9901

# The image has no curl: `sluice health` GETs http://127.0.0.1:9901/healthz and exits 0 on a 200.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["sluice", "health"]

ENTRYPOINT ["sluice"]
CMD ["run"]
