# Builds the plugin (frontend + backend executables) and installs it into a Grafana image.
ARG grafana_image=grafana
ARG grafana_version=12.4.0

FROM node:22-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN apt-get update && npm run build

FROM grafana/${grafana_image}:${grafana_version}
COPY --from=build /src/dist /var/lib/grafana/plugins/seed-netdata-datasource
