"""Configuration, read only from the environment (twelve-factor style).

| variable               | required | default                  |
|------------------------|----------|--------------------------|
| PORT                   | no       | 8080                     |
| BIND_ADDRESS           | no       | 0.0.0.0                  |
| DATABASE_HOST          | yes      |                          |
| DATABASE_PORT          | no       | 5432                     |
| DATABASE_NAME          | yes      |                          |
| DATABASE_USER          | yes      |                          |
| DATABASE_PASSWORD_FILE | no       | /run/secrets/db_password |
| LOG_FORMAT             | no       | json  (json | text)      |
| LOG_DESTINATION        | no       | stdout (stdout | stderr | /absolute/file/path) |

The database password is read ONLY from the file named by DATABASE_PASSWORD_FILE (the
`*_FILE` convention of Docker secrets). Plain-text password variables are refused: they
leak through `docker inspect`, shell history and CI logs.
"""

import dataclasses
import os

DEFAULT_PORT = 8080
DEFAULT_BIND_ADDRESS = "0.0.0.0"
DEFAULT_DATABASE_PORT = 5432
DEFAULT_PASSWORD_FILE = "/run/secrets/db_password"

# Variables someone might set to "just pass the password". All of them are refused.
PLAIN_PASSWORD_VARIABLES = ("DATABASE_PASSWORD", "DB_PASSWORD", "PGPASSWORD", "POSTGRES_PASSWORD")

LOG_FORMATS = ("json", "text")


@dataclasses.dataclass(frozen=True)
class Problem:
    msg: str
    hint: str
    variable: str


class ConfigError(Exception):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return "; ".join(p.msg for p in self.problems)

    @property
    def hint(self) -> str:
        hints = []
        for p in self.problems:
            if p.hint and p.hint not in hints:
                hints.append(p.hint)
        return " ".join(hints)

    @property
    def variables(self) -> list:
        return sorted({p.variable for p in self.problems})


@dataclasses.dataclass(frozen=True)
class LogSettings:
    format: str = "json"
    destination: str = "stdout"


@dataclasses.dataclass(frozen=True)
class DatabaseConfig:
    host: str
    port: int
    name: str
    user: str
    password_file: str
    password: str = dataclasses.field(repr=False)

    def describe(self) -> dict:
        """Safe to log: never contains the password."""
        return {
            "host": self.host,
            "port": self.port,
            "name": self.name,
            "user": self.user,
            "passwordFile": self.password_file,
            "secretLoaded": bool(self.password),
        }


@dataclasses.dataclass(frozen=True)
class Config:
    port: int
    bind_address: str
    database: DatabaseConfig
    log: LogSettings
    warnings: tuple = ()

    def describe(self) -> dict:
        return {
            "port": self.port,
            "bindAddress": self.bind_address,
            "database": self.database.describe(),
            "logFormat": self.log.format,
            "logDestination": self.log.destination,
        }


def _value(env, name):
    """None when unset; the raw string otherwise (possibly empty)."""
    return env.get(name)


def load_log_settings(env=None) -> LogSettings:
    env = os.environ if env is None else env
    problems = []
    fmt = (_value(env, "LOG_FORMAT") or "json").strip().lower()
    if fmt not in LOG_FORMATS:
        problems.append(Problem(f"LOG_FORMAT must be json or text, got {env.get('LOG_FORMAT')!r}",
                                "Set LOG_FORMAT=json (what the log collector expects) or text.", "LOG_FORMAT"))
    destination = (_value(env, "LOG_DESTINATION") or "stdout").strip()
    if destination.lower() in ("stdout", "stderr"):
        destination = destination.lower()
    elif not destination.startswith("/"):
        problems.append(Problem(f"LOG_DESTINATION must be stdout, stderr or an absolute file path, got {destination!r}",
                                "Containers should log to stdout: unset LOG_DESTINATION.", "LOG_DESTINATION"))
    if problems:
        raise ConfigError(problems)
    return LogSettings(fmt, destination)


def _int(env, name, default, low, high, hint, problems):
    raw = _value(env, name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip(), 10)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        problems.append(Problem(f"{name} must be an integer between {low} and {high}, got {raw!r}", hint, name))
        return default
    return value


def _required(env, name, hint, problems):
    raw = _value(env, name)
    if raw is None:
        problems.append(Problem(f"{name} is not set", hint, name))
        return ""
    if raw.strip() == "":
        problems.append(Problem(f"{name} is set but empty", hint, name))
        return ""
    return raw.strip()


def read_secret(path: str, explicit: bool):
    """Returns (password, problem). The file's trailing newlines are dropped, as the
    postgres image's entrypoint does with POSTGRES_PASSWORD_FILE."""
    var = "DATABASE_PASSWORD_FILE"
    mount_hint = ("Mount the db_password secret into this service (compose: `secrets: [db_password]`, "
                  f"which appears at {DEFAULT_PASSWORD_FILE}).")
    if explicit:
        mount_hint = (f"DATABASE_PASSWORD_FILE points at {path}: mount the secret there, or point the "
                      "variable at the path where the secret is mounted.")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(64 * 1024)
    except FileNotFoundError:
        return "", Problem(f"secret file {path} does not exist", mount_hint, var)
    except IsADirectoryError:
        return "", Problem(f"secret file {path} is a directory, not a file", mount_hint, var)
    except PermissionError:
        return "", Problem(
            f"secret file {path} is not readable by uid {os.getuid()} (permission denied)",
            "Compose bind-mounts file secrets with the host file's owner and mode: make the host file readable "
            "(chmod 0644 secrets/db_password.txt).", var)
    except OSError as exc:
        return "", Problem(f"cannot read secret file {path}: {exc.strerror}", mount_hint, var)
    try:
        password = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return "", Problem(f"secret file {path} is not UTF-8 text", "Write the password as plain text.", var)
    if password == "":
        return "", Problem(f"secret file {path} is empty", "Write the database password into the secret file.", var)
    return password, None


def load(env=None, log_settings: LogSettings = None) -> Config:
    """Reads and validates everything; raises ConfigError listing every problem at once."""
    env = os.environ if env is None else env
    problems = []
    warnings = []
    log_settings = log_settings or load_log_settings(env)

    port = _int(env, "PORT", DEFAULT_PORT, 1, 65535,
                "PORT is the TCP port the API listens on inside the container (default 8080).", problems)
    bind_address = (_value(env, "BIND_ADDRESS") or DEFAULT_BIND_ADDRESS).strip()

    host = _required(env, "DATABASE_HOST",
                     "Set DATABASE_HOST to the database's hostname (in compose: the db service's name, e.g. db).",
                     problems)
    db_port = _int(env, "DATABASE_PORT", DEFAULT_DATABASE_PORT, 1, 65535,
                   "DATABASE_PORT is the database's TCP port (default 5432).", problems)
    name = _required(env, "DATABASE_NAME", "Set DATABASE_NAME to the database to use (e.g. notes).", problems)
    user = _required(env, "DATABASE_USER", "Set DATABASE_USER to the database role (e.g. notes).", problems)

    explicit = _value(env, "DATABASE_PASSWORD_FILE") not in (None, "")
    password_file = (_value(env, "DATABASE_PASSWORD_FILE") or DEFAULT_PASSWORD_FILE).strip()
    password, problem = read_secret(password_file, explicit)
    if problem:
        problems.append(problem)

    refused = [v for v in PLAIN_PASSWORD_VARIABLES if v in env]
    for var in refused:
        problems.append(Problem(
            f"{var} is set: plain-text password variables are not accepted",
            "Remove it; the password is read only from the file named by DATABASE_PASSWORD_FILE "
            f"(default {DEFAULT_PASSWORD_FILE}): mount the db_password secret.", var))

    database_url = _value(env, "DATABASE_URL")
    if database_url is not None:
        if "@" in database_url and ":" in database_url.split("@", 1)[0].split("//", 1)[-1]:
            problems.append(Problem(
                "DATABASE_URL is set and contains a password: plain-text passwords are not accepted",
                "Remove DATABASE_URL; use DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER and the "
                "db_password secret.", "DATABASE_URL"))
        else:
            warnings.append(Problem(
                "DATABASE_URL is ignored",
                "notes-api reads DATABASE_HOST, DATABASE_PORT, DATABASE_NAME and DATABASE_USER.", "DATABASE_URL"))

    if problems:
        raise ConfigError(problems)
    database = DatabaseConfig(host=host, port=db_port, name=name, user=user,
                              password_file=password_file, password=password)
    return Config(port=port, bind_address=bind_address, database=database, log=log_settings,
                  warnings=tuple(warnings))
