// See smtp_sender.h. One curl easy handle per send: mail is rare enough that
// connection reuse is not worth the state (and a handle never outlives the
// call, so a password set on it does not linger in a long-lived object other
// than the config).
#include "mail/smtp_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace masthead::mail {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string check_smtp_config(const SmtpConfig& config) {
  const bool smtps = starts_with(config.url, "smtps://");
  if (!smtps && !starts_with(config.url, "smtp://"))
    return "mail.url must start with smtp:// or smtps://";
  if (config.url.find_first_of(" \r\n\t@") != std::string::npos)
    return "mail.url must not contain spaces or credentials (set username and password instead)";
  if (smtps && config.require_starttls)
    return "mail.require_starttls applies to smtp:// URLs; smtps:// is TLS from the start";
  if (!is_valid_address(config.from)) return "mail.from is not a valid e-mail address";
  if (config.username.empty() != config.password.empty())
    return "mail.username and mail.password go together";
  if (config.timeout <= std::chrono::milliseconds(0)) return "mail.timeout must be positive";
  return {};
}

SmtpSender::SmtpSender(SmtpConfig config) : config_(std::move(config)) {
  if (std::string problem = check_smtp_config(config_); !problem.empty())
    throw std::invalid_argument(problem);
  domain_ = config_.from.substr(config_.from.rfind('@') + 1);
  global_init();
}

std::string SmtpSender::describe() const {
  std::string out = config_.url;
  if (config_.require_starttls) out += " (STARTTLS required)";
  out += " as " + config_.from;
  out += config_.username.empty() ? " (no auth)" : " (auth: " + config_.username + ")";
  return out;
}

SendOutcome SmtpSender::send(const QueuedMail& mail) {
  Envelope envelope{config_.from, config_.from_name, mail.queued_at, mail.token + "@" + domain_};
  auto rendered = render_message(mail.message, envelope);
  if (!rendered) return SendOutcome::permanent("cannot render: " + rendered.error().message);

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return SendOutcome::transient("curl_easy_init failed");
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + mail.message.to + ">").c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(recipients, curl_slist_free_all);
  Upload upload{rendered.value()};
  char error[CURL_ERROR_SIZE] = {};
  const std::string mail_from = "<" + config_.from + ">";
  const long timeout_ms = static_cast<long>(config_.timeout.count());

  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  // A mail server is reached directly: no HTTP or SOCKS proxy from the environment.
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10000L));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, config_.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   config_.require_starttls ? static_cast<long>(CURLUSESSL_ALL)
                                            : static_cast<long>(CURLUSESSL_NONE));
  if (!config_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, config_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload.data.size()));
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);

  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return SendOutcome::sent();
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  std::string message = std::string(curl_easy_strerror(rc));
  if (error[0] != '\0') message += ": " + std::string(error);
  if (code > 0) message += " (server replied " + std::to_string(code) + ")";
  // A 5xx reply is the server's final word (unknown recipient, message refused,
  // authentication rejected); anything else may work next time.
  if (code >= 500 && code < 600) return SendOutcome::permanent(message);
  return SendOutcome::transient(message);
}

}  // namespace masthead::mail
