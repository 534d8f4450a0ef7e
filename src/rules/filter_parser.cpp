// Lexer and recursive-descent parser of the filter language (grammar: filter.hpp).
#include <cctype>

#include "base/strings.hpp"
#include "rules/filter.hpp"

namespace rampart::rules {
namespace {

struct Token {
  enum class Kind { kEnd, kLParen, kRParen, kWord, kString, kOp };
  Kind kind = Kind::kEnd;
  std::string text;  // a word or string's text (unescaped), an operator's spelling
  size_t column = 0;
};

// A bare word runs until a space, a quote, a parenthesis, '=' or '!' (so /usr/bin/g++ and a@b are
// values); whether it may be a key is checked by the parser (the `key` rule of the grammar).
bool WordChar(char c) {
  return !std::isspace(static_cast<unsigned char>(c)) && c != '\'' && c != '"' && c != '(' && c != ')' && c != '=' &&
         c != '!';
}

// key = name , { "." , name } ; name = ( letter | "_" ) , { letter | digit | "_" | "-" }
bool IsKey(std::string_view k) {
  for (std::string_view name : SplitView(k, '.')) {
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
    for (char c : name) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
    }
  }
  return true;
}

std::string Lower(std::string_view s) { return AsciiLower(s); }

Error At(size_t column, const std::string& what) {
  return Error::Invalid("filter: column " + std::to_string(column) + ": " + what);
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<Token> Next() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    Token t;
    t.column = pos_ + 1;
    if (pos_ >= text_.size()) return t;
    const char c = text_[pos_];
    if (c == '(' || c == ')') {
      ++pos_;
      t.kind = c == '(' ? Token::Kind::kLParen : Token::Kind::kRParen;
      return t;
    }
    if (c == '=' || c == '!') return Operator(t);
    if (c == '\'' || c == '"') return Quoted(t, c);
    // Every other character starts a word (WordChar excludes only what was handled above).
    size_t start = pos_;
    while (pos_ < text_.size() && WordChar(text_[pos_])) ++pos_;
    t.kind = Token::Kind::kWord;
    t.text = std::string(text_.substr(start, pos_ - start));
    return t;
  }

 private:
  Result<Token> Operator(Token t) {
    t.kind = Token::Kind::kOp;
    if (text_.substr(pos_, 2) == "==" || text_.substr(pos_, 2) == "!=") {
      t.text = std::string(text_.substr(pos_, 2));
      pos_ += 2;
      return t;
    }
    if (text_[pos_] == '=') {
      t.text = "=";
      ++pos_;
      return t;
    }
    return At(t.column, "'!' must be followed by '='");
  }

  Result<Token> Quoted(Token t, char quote) {
    ++pos_;
    t.kind = Token::Kind::kString;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      t.text += text_[pos_++];
    }
    if (pos_ >= text_.size()) return At(t.column, "a quoted value is not closed");
    ++pos_;
    return t;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

std::optional<Op> OpOf(const Token& t) {
  if (t.kind == Token::Kind::kOp) return t.text == "!=" ? Op::kNe : Op::kEq;
  if (t.kind != Token::Kind::kWord) return std::nullopt;
  const std::string w = Lower(t.text);
  if (w == "starts_with" || w == "startswith") return Op::kStartsWith;
  if (w == "ends_with" || w == "endswith") return Op::kEndsWith;
  if (w == "like" || w == "contains") return Op::kContains;
  return std::nullopt;
}

bool IsKeyword(const Token& t, const char* word) { return t.kind == Token::Kind::kWord && Lower(t.text) == word; }

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) {}

  Result<std::unique_ptr<Node>> Parse() {
    RAMPART_CHECK(Advance());
    RAMPART_TRY(root, OrExpr(0));
    if (tok_.kind != Token::Kind::kEnd) return At(tok_.column, "expected 'and', 'or' or the end of the filter");
    return root;
  }

 private:
  Result<void> Advance() {
    RAMPART_TRY(t, lexer_.Next());
    tok_ = std::move(t);
    return {};
  }

  // `kind` (kAnd or kOr) of two or more children, or the single child.
  using Sub = Result<std::unique_ptr<Node>> (Parser::*)(size_t);
  Result<std::unique_ptr<Node>> Chain(Node::Kind kind, const char* word, Sub sub, size_t depth) {
    const size_t column = tok_.column;
    RAMPART_TRY(first, (this->*sub)(depth));
    if (!IsKeyword(tok_, word)) return first;
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->column = column;
    node->children.push_back(std::move(first));
    while (IsKeyword(tok_, word)) {
      RAMPART_CHECK(Advance());
      RAMPART_TRY(next, (this->*sub)(depth));
      node->children.push_back(std::move(next));
    }
    return node;
  }

  Result<std::unique_ptr<Node>> OrExpr(size_t depth) { return Chain(Node::Kind::kOr, "or", &Parser::AndExpr, depth); }
  Result<std::unique_ptr<Node>> AndExpr(size_t depth) { return Chain(Node::Kind::kAnd, "and", &Parser::Unary, depth); }

  Result<std::unique_ptr<Node>> Unary(size_t depth) {
    if (!IsKeyword(tok_, "not")) return Primary(depth);
    auto node = std::make_unique<Node>();
    node->kind = Node::Kind::kNot;
    node->column = tok_.column;
    RAMPART_CHECK(Advance());
    RAMPART_TRY(child, Primary(depth));
    node->children.push_back(std::move(child));
    return node;
  }

  Result<std::unique_ptr<Node>> Primary(size_t depth) {
    if (tok_.kind == Token::Kind::kLParen) {
      if (depth + 1 > kMaxDepth) return At(tok_.column, "parentheses nested deeper than " + std::to_string(kMaxDepth));
      const size_t open = tok_.column;
      RAMPART_CHECK(Advance());
      RAMPART_TRY(inner, OrExpr(depth + 1));
      if (tok_.kind != Token::Kind::kRParen) return At(tok_.column, "expected ')' closing the '(' at column " + std::to_string(open));
      RAMPART_CHECK(Advance());
      return inner;
    }
    return Comparison();
  }

  Result<std::unique_ptr<Node>> Comparison() {
    if (tok_.kind != Token::Kind::kWord || IsKeyword(tok_, "and") || IsKeyword(tok_, "or") || OpOf(tok_) ||
        !IsKey(tok_.text)) {
      return At(tok_.column, tok_.kind == Token::Kind::kEnd ? "expected a key, found the end of the filter" : "expected a key");
    }
    if (++comparisons_ > kMaxComparisons) return At(tok_.column, "more than " + std::to_string(kMaxComparisons) + " comparisons");
    auto node = std::make_unique<Node>();
    node->column = tok_.column;
    node->key = tok_.text;
    RAMPART_CHECK(Advance());
    auto op = OpOf(tok_);
    if (!op) return At(tok_.column, "expected an operator (=, !=, starts_with, ends_with, like) after " + QuoteForDetail(node->key));
    node->op = *op;
    const std::string op_text = tok_.text;
    RAMPART_CHECK(Advance());
    if (tok_.kind != Token::Kind::kString && tok_.kind != Token::Kind::kWord) {
      return At(tok_.column, "expected a value after " + QuoteForDetail(op_text));
    }
    node->value = tok_.text;
    node->value_column = tok_.column;
    RAMPART_CHECK(Advance());
    return node;
  }

  Lexer lexer_;
  Token tok_;
  size_t comparisons_ = 0;
};

}  // namespace

Result<std::unique_ptr<Node>> ParseFilter(std::string_view text) {
  if (text.size() > kMaxFilterBytes) return Error::Invalid("filter: longer than " + std::to_string(kMaxFilterBytes) + " bytes");
  if (Trim(text).empty()) return Error::Invalid("filter: empty");
  return Parser(text).Parse();
}

}  // namespace rampart::rules
