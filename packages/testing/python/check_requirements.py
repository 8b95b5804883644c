"""Parse requirements files with pip's own parser (following -r includes) and check each
requirement with packaging; print {file: [requirements]} as JSON. Exit 1 on any error."""
import json
import sys

from packaging.requirements import Requirement
from pip._internal.network.session import PipSession
from pip._internal.req.req_file import parse_requirements

result = {}
for path in sys.argv[1:]:
    requirements = []
    for parsed in parse_requirements(path, session=PipSession()):
        requirements.append(str(Requirement(parsed.requirement)))
    result[path] = requirements
print(json.dumps(result))
