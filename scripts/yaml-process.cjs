// Stands in for `process` inside the yaml library in the bundle. Its parser
// reads process.env.LOG_TOKENS for every token (hundreds a scenario), and each
// read of process.env is a call into C++: the two debug switches are read
// once here instead, and everything else is process's own.
"use strict";
module.exports = {
  env: { LOG_TOKENS: process.env.LOG_TOKENS, LOG_STREAM: process.env.LOG_STREAM },
  emitWarning: (...args) => process.emitWarning(...args),
};
