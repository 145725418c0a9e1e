# syntax=docker/dockerfile:1
# Build: docker build -t dpbot .   Run: docker run -e REDIS_URL=redis://redis:6379 -e DPBOT_CONFIG=/etc/dpbot/config.yaml dpbot

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bot ./bot
COPY handlers ./handlers
COPY jobs ./jobs
COPY adapters ./adapters
RUN npx tsc -p tsconfig.build.json --outDir dist

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The charts' font (adapters/charts resolves ../../assets/fonts from its compiled file).
COPY assets ./dist/assets
COPY package.json ./
# The image has no redis-server: REDIS_URL is required in containers.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/bot/cli.js"]
CMD ["--role", "all"]
