# The ocidex image: one image for both modes of the service. The default command is the API
# (`serve`); docker-compose.yml runs the same image as the queue worker (`worker`).
#
#   docker build -t ocidex .
#   docker run -p 127.0.0.1:8080:8080 -v ocidex-index:/data ocidex

# --- build: compile TypeScript and the native modules (better-sqlite3, native/pq over libpq),
# then drop dev dependencies
FROM node:20-bookworm-slim AS build
# node-gyp builds better-sqlite3 when no prebuilt binary can be fetched, and always native/pq
# (libpq's headers from libpq-dev); the headers of the image's own Node (npm_config_nodedir)
# spare it a download.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libpq-dev \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
WORKDIR /app
# Dependencies first, so editing sources keeps this layer cached. --ignore-scripts skips the
# package's own `prepare` (the sources are not there yet); `npm rebuild` then runs the
# dependencies' install scripts (better-sqlite3's native build).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild
COPY native ./native
RUN npm run install
COPY tsconfig.json ./
COPY src ./src
COPY bench ./bench
COPY ui ./ui
RUN npm run build && npm prune --omit=dev

# --- runtime: the compiled CLI, production dependencies and the saved queries
FROM node:20-bookworm-slim
ENV NODE_ENV=production
# libpq for native/pq (the PostgreSQL backend).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Layout as installed from npm: /app/package.json marks the package root, from which the CLI
# finds the saved queries in /app/queries (src/cli/paths.ts). Files stay root-owned (read-only
# for the service).
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/native/pq/build/Release/ocidex_pq.node ./native/pq/build/Release/
COPY queries ./queries
# The index lives in /data; created here owned by `node` so a new named volume inherits that.
RUN mkdir /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8080
# Liveness of the default command (serve on port 8080); compose disables it for the worker.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/src/cli.js"]
CMD ["serve", "--db", "/data/ocidex.db", "--host", "0.0.0.0", "--port", "8080"]
