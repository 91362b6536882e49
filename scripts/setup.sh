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
    echo "forum-tui: installing Debian packages (first run only): ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "please install these Debian packages first: ${missing[*]}" >&2
    return 1
  fi
}

# venv_install SPEC: the project's .venv with SPEC (e.g. "." or ".[test]") installed in it, editable.
# pip runs only when SPEC was never installed or pyproject.toml changed since (a stamp in .venv
# records what was installed against which pyproject.toml); code edits need no reinstall.
venv_install() {
  local stamp=.venv/.forum-tui-installed digest
  if [ ! -x .venv/bin/python ]; then
    echo "forum-tui: creating the Python environment in .venv (first run only)"
    python3 -m venv .venv
  fi
  digest=$(sha256sum pyproject.toml | cut -d' ' -f1)
  grep -qxF "$digest $1" "$stamp" 2>/dev/null && return 0
  echo "forum-tui: installing Python packages ($1) into .venv (first run, or pyproject.toml changed)..."
  .venv/bin/python -m pip install -q --disable-pip-version-check -e "$1"
  { grep -s "^$digest " "$stamp" || true; echo "$digest $1"; } >"$stamp.new"
  mv "$stamp.new" "$stamp"
}
