# The TypeScript endpoint: built with the dev dependencies, run with the production ones only.
#   docker build -t lightgbm-ts-serving/ts-endpoint .      (or: docker compose up --build)
# One base image tag for both stages (scripts/docker/standin-images.sh reads it from the first FROM).

FROM node:24-bookworm-slim AS build
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `node` devDependency would otherwise download a second Node binary; the image's own
# Node 24 runs the build (npm's PATH then falls through the dangling node_modules/.bin/node to it).
RUN npm ci --ignore-scripts
COPY . .
# Compile, drop the dev dependencies, and gather what runs into /out, so the runtime stage is one layer: the
# endpoint (dist/src, and dist/contract: the catalogs it reads), the HTTP benchmark the compose `bench` profile runs (dist/bench/http, with the launcher and
# Jaeger query helpers of dist/scripts/lib it imports), no tests.
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts \
 && mkdir -p /out/dist/bench /out/dist/scripts \
 && cp -R package.json package-lock.json node_modules model bin /out/ \
 && cp -R dist/src dist/contract /out/dist/ \
 && cp -R dist/bench/http dist/bench/machine.js /out/dist/bench/ \
 && cp -R dist/scripts/lib /out/dist/scripts/ \
 && find /out/dist -name '*.test.js*' -delete

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    MODEL_PATH=/app/model/model.txt \
    OTEL_SERVICE_NAME=ts-endpoint \
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
COPY --from=build /out /app
WORKDIR /app
USER node
EXPOSE 3000
# Slim images have no curl: Node's own fetch asks the readiness route.
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["bin/ts-endpoint"]
