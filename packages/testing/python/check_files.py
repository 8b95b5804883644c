"""Check many generated files in one process, each with the parser of the tool that reads it:
Python's compiler, tomllib and validate-pyproject, pip's requirements parser, docker-compose's
config loader, pip's and the application's configparser, supervisord's parser.

Reads [{"kind": ..., "path": ...}] as JSON on stdin; prints {path: [problem, ...]} as JSON."""
import configparser
import functools
import json
import os
import sys
import tomllib


def check_python(path):
    with open(path, "rb") as handle:
        compile(handle.read(), path, "exec", dont_inherit=True)


@functools.cache
def pyproject_validator():
    from validate_pyproject import api

    return api.Validator()


def check_pyproject(path):
    with open(path, "rb") as handle:
        pyproject_validator()(tomllib.load(handle))


@functools.cache
def pip_session():
    from pip._internal.network.session import PipSession

    return PipSession()


def check_requirements(path):
    from packaging.requirements import Requirement
    from pip._internal.req.req_file import parse_requirements

    for parsed in parse_requirements(path, session=pip_session()):
        Requirement(parsed.requirement)


def check_compose(path):
    from compose.config import config
    from compose.config.environment import Environment

    folder = os.path.dirname(path)
    details = config.find(folder, [os.path.basename(path)], Environment.from_env_file(folder))
    problems = []
    with open(path, encoding="utf-8") as handle:
        # A port on every interface is the user's explicit choice when the file says so.
        chosen = "# pyrepo: published on every interface, as chosen" in handle.read()
    for service in config.load(details).services:
        if chosen:
            continue
        for port in service.get("ports", []):
            # docker-compose keeps "IP:8000:8000" as a ServicePort with external_ip.
            if getattr(port, "external_ip", None) not in ("127.0.0.1", "::1"):
                problems.append(f"service {service['name']} publishes {port.legacy_repr()} on every interface: bind it to 127.0.0.1")
    return problems


def check_pip_config(path):
    # pip reads its configuration with RawConfigParser: no interpolation, no inline comments.
    parser = configparser.RawConfigParser()
    with open(path, encoding="utf-8") as handle:
        parser.read_file(handle)


def check_app_config(path):
    # The generated applications read their .conf with ConfigParser: % interpolates.
    parser = configparser.ConfigParser()
    with open(path, encoding="utf-8") as handle:
        parser.read_file(handle)
    for section in parser.sections():
        for key in parser[section]:
            parser[section][key]


def check_supervisor(path):
    from supervisor.options import UnhosedConfigParser
    from supervisor.datatypes import list_of_strings

    parser = UnhosedConfigParser()
    parser.read(path)
    problems = []
    programs = [s for s in parser.sections() if s.startswith("program:")]
    if not programs:
        problems.append("no [program:x] section")
    for section in programs:
        if not parser.has_option(section, "command"):
            problems.append(f"[{section}] has no command")
        user = parser.get(section, "user", fallback="")
        if user in ("", "root", "0"):
            problems.append(f"[{section}] runs as root: set user to an unprivileged user")
        list_of_strings(parser.get(section, "environment", fallback=""))
    return problems


checks = {
    "python": check_python,
    "pyproject": check_pyproject,
    "requirements": check_requirements,
    "compose": check_compose,
    "pip-config": check_pip_config,
    "app-config": check_app_config,
    "supervisor": check_supervisor,
}

result = {}
for entry in json.load(sys.stdin):
    try:
        problems = checks[entry["kind"]](entry["path"]) or []
    except BaseException as error:  # every failure is a finding about that file
        problems = [f"{type(error).__name__}: {error}".strip()]
    result[entry["path"]] = problems
print(json.dumps(result))
