// Boost.JSON compiled once; no Boost.JSON shared library is linked.
#include <boost/json/src.hpp>
