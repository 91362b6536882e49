# Sourced by scripts/demo and scripts/test: Debian packages when missing, and the project's
# virtual environment. Debian's Python needs python3-venv before `python3 -m venv` works.

# install_missing COMMAND:PACKAGE ...: apt-get install the packages whose command is missing.
install_missing() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
  done
  python3 -c "import ensurepip" 2>/dev/null || missing+=(python3-venv)
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "please install these Debian packages first: ${missing[*]}" >&2
    return 1
  fi
}

# venv_install SPEC: the project's .venv with SPEC (e.g. "." or ".[test]") installed in it.
venv_install() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -e "$1"
}
