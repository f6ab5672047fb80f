# syntax=docker/dockerfile:1
# Build: docker build -t salesguard .
# Run:   docker run -d --name salesguard --env-file .env -v salesguard-data:/data salesguard
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/salesguard .
# The database directory, created here because the runtime image has no shell: a fresh named
# volume mounted on /data takes the ownership and mode of the image's /data, so it must exist
# and belong to the non-root user before VOLUME.
RUN mkdir -p /out/data && chmod 0700 /out/data

FROM gcr.io/distroless/static-debian12:nonroot
# The binary embeds its time zone database (time/tzdata) and its message catalogs.
COPY --from=build /out/salesguard /usr/local/bin/salesguard
COPY --from=build --chown=65532:65532 /out/data /data
ENV SALESGUARD_DB=/data/salesguard.db
USER nonroot:nonroot
VOLUME ["/data"]
EXPOSE 9090 8443
ENTRYPOINT ["/usr/local/bin/salesguard"]
CMD ["run"]
