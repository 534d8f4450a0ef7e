#pragma once
// One auditd record as text, the way auditd's af_unix dispatcher ("format = string") and
// audit.log carry it, parsed into fields. Pure: no I/O, no lookups; every size bounded, because
// the text holds attacker-chosen bytes (command lines, file names, account names).
//
// Grammar (auditd 3.0, RAW or ENRICHED log format):
//
//   record   = [ "node=" token " " ] "type=" TYPE " msg=audit(" SECS "." MILLIS ":" SERIAL "):"
//              fields [ GS enriched ] [ "\n" ]
//   fields   = *( " " field )
//   field    = name "=" value
//            | "msg='" fields "'"              (user-space records: expanded in place)
//   value    = DQUOTE *(any but DQUOTE) DQUOTE  (literal text)
//            | "{" *(any but "}") "}"           (ENRICHED SADDR={ … })
//            | *(any but " ")                   (a number, a word, hex-encoded text, "(null)" or "?")
//   enriched = fields                           (after the 0x1d group separator: uid names etc.)
//
// An "encodable" field (a0…, a1[2], cwd, name, exe, comm, proctitle, acct, key, …) is written
// by auditd in quotes when its text is plain and as bare hex when it holds a space, a quote or a
// control byte; Text() undoes that.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace rampart::audit {

inline constexpr size_t kMaxRecordBytes = 16384;  // auditd's own limit is 8970 bytes
// An EXECVE record of one-character arguments holds ~800 fields; a field takes at least 4 bytes.
inline constexpr size_t kMaxFieldsPerRecord = kMaxRecordBytes / 4;

struct Field {
  std::string name;
  std::string value;  // without its quotes or braces
  bool quoted = false;
};

struct Record {
  std::string type;  // "SYSCALL", "EXECVE", "USER_LOGIN", … (or "UNKNOWN[1334]")
  int64_t time_ms = 0;
  uint64_t serial = 0;
  std::vector<Field> fields;    // in order; a user-space msg='…' is expanded in place
  std::vector<Field> enriched;  // ENRICHED format: the interpreted values after the GS byte

  const Field* Find(std::string_view name) const;
  const Field* FindEnriched(std::string_view name) const;
  // The decoded text of a field, or "" when absent, "(null)" or "?".
  std::string Text(std::string_view name) const;
  // A decimal field as a number (negative allowed), or `fallback`.
  int64_t Int(std::string_view name, int64_t fallback = -1) const;
};

// Invalid (naming the offset) for text that is not a record, or past the limits above.
Result<Record> ParseRecord(std::string_view line);

// Whether auditd hex-encodes this field's value when it is not plain text.
bool IsEncodable(std::string_view name);
// The value's text: quoted as is; bare hex of an encodable field decoded (a proctitle's NUL
// separators become spaces, its trailing ones dropped); "(null)" and "?" become "".
std::string DecodeValue(const Field& f);

}  // namespace rampart::audit
