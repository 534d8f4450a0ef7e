// Boost.URL compiled once; no Boost.URL shared library is linked.
#include <boost/url/src.hpp>
