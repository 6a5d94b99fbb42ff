#include "server/hit_json.h"

namespace rasai {

nlohmann::ordered_json HitJson(const Hit& h) {
  nlohmann::ordered_json j = {{"id", h.id},     {"score", h.score}, {"title", h.title},
                              {"snippet", h.snippet}, {"url", h.url}, {"date", h.date},
                              {"lang", h.lang}, {"source", h.source}, {"category", h.category}};
  if (!h.copy_of.empty()) j["copy_of"] = h.copy_of;  // an edited copy of that earlier hit
  return j;
}

}  // namespace rasai
