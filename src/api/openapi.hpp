#pragma once
// The OpenAPI 3.1 document of every surface (docs/openapi.json, compiled in), served verbatim at
// GET /openapi.json. The black-box test checks it against the meta-schema and the route table.
#include <string_view>

namespace rampart::api {

std::string_view OpenApiDocument();

}  // namespace rampart::api
