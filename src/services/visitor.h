// Visitor: what the edge knows of whoever sent a request, in plain fields.
//
// What it is. The services never see an HTTP request. A web handler (or the
// apps API) copies out of it the few things a service may need: the
// connection's address and the X-Forwarded-For it carried (the access
// service believes the header only from trusted proxies), the User-Agent
// (a crawler's claim, and the network budget's browser family), the signed
// anonymous-reader cookie, the session token, and whether the request is
// safe (HEAD: answer, record nothing).
//
// Everything here is untrusted text: each service checks what it uses.
#pragma once

#include <optional>
#include <string>

namespace masthead::services {

struct Visitor {
  std::string remote_address;  // the connection's peer
  std::string forwarded_for;   // X-Forwarded-For, as sent
  std::string user_agent;
  std::optional<std::string> reader_cookie;  // the signed anonymous identity
  std::optional<std::string> session_token;  // a session cookie or bearer token
  bool safe = false;                         // HEAD: decide, record nothing
};

}  // namespace masthead::services
