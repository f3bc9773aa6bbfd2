"""The container stack: docker-compose.yml's structure and the Dockerfile's text.

No Docker engine is needed: the compose file is read with PyYAML, and when the
`docker compose` CLI plugin is present it validates the file (`config` needs no engine).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

APP_SERVICES = ("web", "worker", "beat")
SERVICES = (*APP_SERVICES, "redis", "db", "mailcatcher")
REQUIRED_APP_ENVIRONMENT = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "SITE_URL",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "STATIC_ROOT",
    "MEDIA_ROOT",
}
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def _compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _services() -> dict:
    return _compose()["services"]


def _with_defaults(value: str) -> str:
    """Compose's interpolation as it runs on a host that sets none of the variables."""

    def replace(match: re.Match) -> str:
        if match["op"] and match["op"].endswith("-"):
            return match["arg"]
        return f"<{match['name']}>"

    return _VARIABLE.sub(replace, str(value))


def _command(service: dict) -> list[str]:
    command = service.get("command")
    assert command, "the service sets its command explicitly"
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def _published_ports(service: dict) -> set[int]:
    ports = set()
    for port in service.get("ports", []):
        if isinstance(port, dict):
            ports.add(int(port["published"]))
        else:
            parts = str(port).split(":")
            assert len(parts) >= 2, f"port {port!r} is published on a fixed host port"
            ports.add(int(parts[-2]))
    return ports


def _dockerfile() -> str:
    return DOCKERFILE.read_text(encoding="utf-8")


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", _dockerfile())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def _dockerfile_env() -> dict[str, str]:
    env = {}
    for keyword, arguments in _dockerfile_instructions():
        if keyword == "ENV":
            for pair in arguments.split():
                if "=" in pair:
                    key, value = pair.split("=", 1)
                    env[key] = value.strip("\"'")
    return env


def test_compose_defines_the_whole_stack():
    services = _services()
    for name in SERVICES:
        assert name in services, f"docker-compose.yml has no {name!r} service"
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["mailcatcher"]["image"].startswith("axllent/mailpit")


def test_every_long_running_service_has_a_healthcheck():
    services = _services()
    for name in SERVICES:
        healthcheck = services[name].get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name}'s healthcheck is disabled"
        test = healthcheck.get("test")
        assert test, f"{name}'s healthcheck has no test command"
        if isinstance(test, list):
            assert test[0] in {"CMD", "CMD-SHELL"} and len(test) > 1, f"{name}: {test!r}"


def test_healthchecks_probe_each_service_the_right_way():
    services = _services()

    def probe(name: str) -> str:
        test = services[name]["healthcheck"]["test"]
        return " ".join(test) if isinstance(test, list) else test

    assert "redis-cli ping" in probe("redis")
    assert "pg_isready" in probe("db")
    # Ready, not merely answering: a pending migration makes it 503 (Redis down: "degraded", 200).
    assert "urllib" in probe("web") and "http://127.0.0.1:8000/healthz/ready" in probe("web")
    assert "celery -A cms inspect ping -d celery@$$HOSTNAME" in probe("worker")
    assert "celerybeat.pid" in probe("beat") and "--pidfile" in _command(services["beat"])


def test_web_worker_and_beat_share_one_image_and_environment():
    services = _services()
    web = services["web"]
    assert web.get("build"), "web builds the project's image from the Dockerfile"
    build = web["build"]
    context = build if isinstance(build, str) else build.get("context", ".")
    assert context in {".", "./"}
    assert isinstance(build, str) or build.get("dockerfile", "Dockerfile") == "Dockerfile"

    for name in APP_SERVICES:
        service = services[name]
        assert service.get("build") == web["build"], f"{name} is built differently from web"
        assert service.get("image") == web.get("image"), f"{name} runs another image than web"
        assert _environment(service) == _environment(web), f"{name}'s environment differs from web's"

    environment = _environment(web)
    missing = REQUIRED_APP_ENVIRONMENT - environment.keys()
    assert not missing, f"web/worker/beat lack {sorted(missing)}"
    settings_module = environment.get("DJANGO_SETTINGS_MODULE") or _dockerfile_env()["DJANGO_SETTINGS_MODULE"]
    assert settings_module == "cms.settings.production"


def test_web_worker_and_beat_start_after_db_and_redis_are_healthy_and_migrations_ran():
    services = _services()
    for name in APP_SERVICES:
        depends_on = services[name].get("depends_on")
        assert isinstance(depends_on, dict), f"{name} depends_on needs conditions"
        for dependency in ("db", "redis"):
            assert depends_on.get(dependency, {}).get("condition") == "service_healthy", (
                f"{name} does not wait for {dependency} to be healthy"
            )
        assert depends_on.get("migrate", {}).get("condition") == "service_completed_successfully", (
            f"{name} does not wait for the migrations"
        )

    migrate = services["migrate"]
    assert migrate.get("image") == services["web"].get("image")
    assert _command(migrate)[:3] == ["python", "manage.py", "migrate"]
    assert "--noinput" in _command(migrate)
    assert str(migrate.get("restart", "no")) == "no", "the migrate job runs once"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_backup_job_dumps_web_s_database_and_media_only_when_asked():
    services = _services()
    backup = services["backup"]
    assert backup.get("profiles") == ["tools"], "`docker compose up` does not run it"
    assert str(backup.get("restart", "no")) == "no"
    # pg_dump refuses a server newer than itself: the same major version as the database.
    assert backup["image"].split(":")[1] == services["db"]["image"].split(":")[1]
    environment = _environment(backup)
    assert environment["DATABASE_URL"] == _environment(services["web"])["DATABASE_URL"]
    media_root = _environment(services["web"])["MEDIA_ROOT"]
    assert environment["MEDIA_ROOT"] == media_root
    assert f"media:{media_root}" in backup["volumes"], "it backs up the media volume web writes to"
    assert "./scripts:/scripts:ro" in backup["volumes"]
    assert any(volume.startswith("./backups:") for volume in backup["volumes"]), "backups land on the host"
    assert _command(backup) == ["/scripts/backup", "/backups"]
    assert backup["depends_on"]["db"]["condition"] == "service_healthy"


def test_web_runs_gunicorn_on_port_8000_with_the_wsgi_app():
    command = _command(_services()["web"])
    assert command[0] == "gunicorn"
    assert "cms.wsgi:application" in command
    assert "0.0.0.0:8000" in command


def test_worker_and_beat_run_celery_for_the_cms_app():
    services = _services()
    assert _command(services["worker"])[:4] == ["celery", "-A", "cms", "worker"]
    assert _command(services["beat"])[:4] == ["celery", "-A", "cms", "beat"]


def test_the_worker_takes_every_queue_so_recovery_and_health_never_wait_behind_sends(settings):
    command = _command(_services()["worker"])
    queues = command[command.index("-Q") + 1].split(",")
    assert sorted(queues) == sorted(queue.name for queue in settings.CELERY_TASK_QUEUES)
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed and routed <= set(queues) - {settings.CELERY_TASK_DEFAULT_QUEUE}


def test_urls_point_at_the_services_inside_the_compose_network():
    services = _services()
    environment = {key: _with_defaults(value) for key, value in _environment(services["web"]).items()}

    database = urlsplit(environment["DATABASE_URL"])
    assert database.scheme in {"postgres", "postgresql"}
    assert (database.hostname, database.port) == ("db", 5432)
    db_environment = {key: _with_defaults(value) for key, value in _environment(services["db"]).items()}
    assert database.username == db_environment["POSTGRES_USER"]
    assert database.password == db_environment["POSTGRES_PASSWORD"]
    assert database.path.lstrip("/") == db_environment["POSTGRES_DB"]

    redis = urlsplit(environment["REDIS_URL"])
    assert (redis.scheme, redis.hostname, redis.port or 6379) == ("redis", "redis", 6379)

    email = urlsplit(environment["EMAIL_URL"])
    assert (email.scheme, email.hostname, email.port) == ("smtp", "mailcatcher", 1025)


def test_compose_defaults_suit_plain_http_on_localhost():
    environment = {key: _with_defaults(value) for key, value in _environment(_services()["web"]).items()}
    for flag in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        assert environment[flag].lower() in {"false", "0", "off", "no"}, flag
    hosts = environment["ALLOWED_HOSTS"].split(",")
    assert "127.0.0.1" in hosts, "the web healthcheck calls 127.0.0.1"
    assert "localhost" in hosts


def test_only_the_site_and_the_mail_ui_are_published():
    services = _services()
    published = {name: _published_ports(service) for name, service in services.items()}
    published_on_purpose = {"web", "mailcatcher"}
    assert published["web"] == {8000}
    assert published["mailcatcher"] == {8025}
    others = {name: ports for name, ports in published.items() if ports and name not in published_on_purpose}
    assert not others, f"unexpected published ports: {others}"


def test_secret_key_must_come_from_the_host_environment():
    value = _environment(_services()["web"])["SECRET_KEY"]
    match = _VARIABLE.fullmatch(value)
    assert match and match["name"] == "SECRET_KEY", "SECRET_KEY is taken from the host environment"
    assert match["op"] == ":?", "compose must refuse to start without SECRET_KEY (use ${SECRET_KEY:?...})"


def test_postgres_data_and_media_live_in_named_volumes():
    compose = _compose()
    named = set(compose.get("volumes") or {})

    def volume_sources(service: dict) -> dict[str, str]:
        sources = {}
        for volume in service.get("volumes", []):
            if isinstance(volume, dict):
                sources[volume["target"]] = volume.get("source")
            else:
                source, target = str(volume).split(":")[:2]
                sources[target] = source
        return sources

    services = compose["services"]
    db_source = volume_sources(services["db"]).get("/var/lib/postgresql/data")
    assert db_source in named, "postgres data is kept in a named volume"
    media_root = _environment(services["web"])["MEDIA_ROOT"]
    media_sources = {volume_sources(services[name]).get(media_root) for name in APP_SERVICES}
    assert len(media_sources) == 1 and media_sources <= named, "web, worker and beat share one media volume"


def test_dockerfile_builds_a_production_image_from_the_lock_file():
    instructions = _dockerfile_instructions()
    assert instructions[0][0] == "FROM" and instructions[0][1].startswith("python:3.11-slim")
    env = _dockerfile_env()
    assert env["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PYTHONUNBUFFERED"] == "1"

    runs = [arguments for keyword, arguments in instructions if keyword == "RUN"]
    assert any("pip install" in run and "-r requirements/base.txt" in run for run in runs)
    collectstatic = [run for run in runs if "collectstatic --noinput" in run]
    assert collectstatic, "static files are collected at build time"
    build_key = re.search(r"SECRET_KEY=(\S+)", collectstatic[0])
    assert build_key and len(build_key[1]) >= 50, "collectstatic gets a throwaway key of >= 50 characters"
    assert "ALLOWED_HOSTS=" in collectstatic[0]
    assert not any("SECRET_KEY" in key for key in env), "no secret is baked into the image's environment"

    assert ("EXPOSE", "8000") in instructions
    cmd = [arguments for keyword, arguments in instructions if keyword == "CMD"][-1]
    assert "gunicorn" in cmd and "cms.wsgi:application" in cmd and "--access-logfile" in cmd


def test_dockerfile_runs_as_a_non_root_user():
    users = [arguments for keyword, arguments in _dockerfile_instructions() if keyword == "USER"]
    assert users, "the Dockerfile sets a USER"
    assert users[-1].split(":")[0] not in {"root", "0"}
    user_index = max(i for i, (keyword, _) in enumerate(_dockerfile_instructions()) if keyword == "USER")
    cmd_index = max(i for i, (keyword, _) in enumerate(_dockerfile_instructions()) if keyword == "CMD")
    assert user_index < cmd_index


def test_no_file_names_a_package_index_or_any_remote_url():
    # pip installs with its default configuration: no index, mirror or host is written down.
    assert "http" not in _dockerfile().lower(), "the Dockerfile names no URL"
    assert "index-url" not in _dockerfile() and "--trusted-host" not in _dockerfile()
    hosts = set(re.findall(r"https?://([^/:\s'\"]+)", COMPOSE_FILE.read_text(encoding="utf-8")))
    assert hosts <= {"127.0.0.1", "localhost"}, f"docker-compose.yml names remote hosts: {hosts}"


def test_dockerignore_keeps_local_state_out_of_the_build_context():
    entries = {line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    for entry in (
        ".venv",
        ".git",
        "db.sqlite3",
        "media",
        "staticfiles",
        "var",
        "__pycache__",
        "*.pyc",
        "node_modules",
        ".pytest_cache",
        "backups",  # personal data: never in an image
    ):
        assert entry in entries, f".dockerignore lacks {entry}"


def _docker_compose_available() -> tuple[bool, str]:
    if shutil.which("docker") is None:
        return False, "the docker CLI is not installed"
    try:
        result = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, f"`docker compose version` could not run: {error}"
    if result.returncode != 0:
        return False, "the docker CLI has no compose plugin (`docker compose version` failed)"
    return True, ""


def _docker_compose_config(environment: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    available, reason = _docker_compose_available()
    if not available:
        pytest.skip(reason)
    # An empty --env-file: a developer's own .env must not decide the result.
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    return subprocess.run(
        [
            "docker",
            "compose",
            "--env-file",
            str(empty_env_file),
            "-f",
            str(COMPOSE_FILE),
            "config",
            "--quiet",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _environment_without_secret_key() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}


def test_docker_compose_accepts_the_file_when_secret_key_is_set(tmp_path):
    environment = {**_environment_without_secret_key(), "SECRET_KEY": "x" * 25 + "y" * 25 + "z"}
    result = _docker_compose_config(environment, tmp_path)
    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_the_file_without_secret_key(tmp_path):
    result = _docker_compose_config(_environment_without_secret_key(), tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
