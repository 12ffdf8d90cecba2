#!/bin/sh
# Role entrypoint for the Loket image.
set -e
role="${1:-server}"
case "$role" in
  server)  exec loket web ;;
  streams) exec loket streams ;;
  worker)  exec loket worker --concurrency "${LOKET_WORKER_CONCURRENCY:-4}" ;;
  beat)    exec loket beat ;;
  migrate) exec loket db upgrade ;;
  *)       exec "$@" ;;
esac
