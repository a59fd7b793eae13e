#!/usr/bin/env bash
# Sourced by run.sh and test.sh: installs what the system needs on a fresh machine of this kind (Debian 12, .NET SDK,
# no container engine), so that nothing has to be done by hand. The caller sets the shell options.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK (see global.json) is required and is not on PATH." >&2
  exit 1
fi

container_runtime_answers() {
  { command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1; } ||
  { command -v podman >/dev/null 2>&1 && timeout 5 podman info >/dev/null 2>&1; }
}

# With no container runtime the AppHost runs Debian's rabbitmq-server itself (AppHost/LocalRabbitMQ.cs).
if [ -z "${ConnectionStrings__messaging:-}" ] && ! container_runtime_answers &&
   [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  echo "Installing rabbitmq-server from Debian (no container runtime answers)..." >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
  # The package may start its own broker on the default ports; ours runs its own node on free ports.
  as_root service rabbitmq-server stop >/dev/null 2>&1 || true
fi

# The PostgreSQL server (Funnel__Database=postgres, and the scale-out tests) comes with the machine's image; its
# supervisor needs Perl and setpriv (both in Debian's base).
if [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
  echo "Installing postgresql-15 from Debian..." >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

# kubectl renders the Kubernetes overlay (kustomize) for the deployment tests; Node installs the validator's packages.
if ! command -v kubectl >/dev/null 2>&1; then
  echo "Installing kubectl from Debian..." >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl >/dev/null
fi
