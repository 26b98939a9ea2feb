# workflow-monitor on the official Playwright image of the pinned version (browsers included).
#   docker build -t workflow-monitor .
#   docker run -d --name workflow-monitor --env-file .env --restart unless-stopped -p 9464:9464 workflow-monitor
# The image runs the daemon; `docker run ... workflow-monitor critical` runs a command instead.
FROM mcr.microsoft.com/playwright:v1.65.1-noble

# Node 24 (the project's engines): the base image's Node may be older.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && curl -fsSL https://deb.nodesource.com/setup_24.x | bash - \
 && apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production \
    MONITOR_STATE_DIR=/app/.monitor \
    MONITOR_HTTP_HOST=0.0.0.0 \
    MONITOR_HTTP_PORT=9464

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts=false && npm cache clean --force

COPY . .
# The image's browsers live in /ms-playwright; the pwuser account is the image's unprivileged user.
RUN mkdir -p /app/.monitor /app/logs /app/test-results && chown -R pwuser:pwuser /app
USER pwuser

EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9464/healthz || exit 1

# exec form: the daemon is PID 1's only child of note and gets SIGTERM from `docker stop` directly.
STOPSIGNAL SIGINT
# --max-semi-space-size=2: the daemon's young generation kept small; --import: the compile cache
# (scheduler/node-args.ts says why).
ENTRYPOINT ["node", "--max-semi-space-size=2", "--import=./scheduler/compile-cache.mjs", "bin/workflow-monitor.ts"]
CMD ["daemon"]
