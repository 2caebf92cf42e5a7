"""The OpenAPI document's common parts (drf-spectacular post-processing, docs/api.md): every answer
carries the ``API-Version`` header; every operation documents its problems (RFC 9457, problem+json)."""

from waardewerk.api.rest import API_VERSION, PROBLEM

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "code", "reason"],
                "properties": {
                    "name": {"type": "string", "description": "The field or parameter, e.g. takenOn"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
    },
}
PROBLEMS = {
    "400": "Invalid input: invalidParams names each field.",
    "401": "No valid token (missing, unknown, expired or revoked).",
    "403": "The application lacks the scope for this resource.",
    "404": "Not found, or not of this application's organisation (or a cursor the API did not give).",
    "406": "The Accept header asks for a format the API does not give.",
}
VERSION_HEADER = {
    "API-Version": {
        "schema": {"type": "string", "example": API_VERSION},
        "description": "The API's full version.",
    }
}


def add_problems_and_version(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    result["info"]["version"] = API_VERSION
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, description in PROBLEMS.items():
                if code == "400" and method == "get" and not operation.get("parameters"):
                    continue
                names = {parameter.get("name") for parameter in operation.get("parameters", [])}
                if code == "404" and "{id}" not in path and "cursor" not in names:
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    },
                )
            for response in responses.values():
                response.setdefault("headers", {}).update(VERSION_HEADER)
    return result
