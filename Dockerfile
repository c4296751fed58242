# syntax=docker/dockerfile:1
# xapi-gateway: build stage bundles with the development dependencies; the runtime stage
# holds the bundle, the migrations and the production dependencies only, runs as
# the unprivileged user `node`, keeps DATA_DIR on a volume and reports /health.
# docker build -t xapi-gateway . && docker run -p 8080:8080 -v xapi-data:/data xapi-gateway
# (or `docker compose up`, with PostgreSQL 15: see compose.yaml and docs/deploy.md)

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts/build.ts ./scripts/
COPY migrations ./migrations
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
# gpg decrypts the research data edX publishes to S3 (`edx sync`, docs/edx-s3.md)
RUN apt-get update && apt-get install -y --no-install-recommends gnupg && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
# the fresh embedded cluster a first start unpacks instead of running initdb
COPY --from=build /app/dist/pglite-base-*.tar.gz ./dist/
COPY migrations ./migrations
COPY README.md LICENSE ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# node answers SIGTERM (docker stop) itself: the batch in flight settles, then exit 0
# within SHUTDOWN_TIMEOUT_MS (30 s by default); give it that long: docker stop -t 40.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/cli.js", "serve"]
