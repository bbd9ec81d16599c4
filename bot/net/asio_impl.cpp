// The one translation unit that compiles Asio, Asio-SSL and Beast (STYLE rule 46); every other
// file sees them as headers only, through BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION.

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
