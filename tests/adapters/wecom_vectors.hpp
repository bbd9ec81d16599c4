#pragma once
// The published WeCom callback test vectors (platforms.md §3.5: Sets A, B and D), shared by the
// crypto and adapter tests.

#include <string_view>

namespace signoff::test::wecom_vectors {

// platforms.md §3.5, Set A (Tencent official) and Set D (generated with Set A's keys).
inline constexpr std::string_view a_token = "QDG6eK";
inline constexpr std::string_view a_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
inline constexpr std::string_view a_corp = "wx5823bf96d3bd56c7";

inline constexpr std::string_view a1_signature = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
inline constexpr std::string_view a1_timestamp = "1409659589";
inline constexpr std::string_view a1_nonce = "263014780";
inline constexpr std::string_view a1_echostr =
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

inline constexpr std::string_view a2_signature = "477715d11cdb4164915debcba66cb864d751f3e6";
inline constexpr std::string_view a2_timestamp = "1409659813";
inline constexpr std::string_view a2_nonce = "1372623149";
inline constexpr std::string_view a2_encrypt =
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/"
    "sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+"
    "HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+"
    "BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+"
    "rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/"
    "T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
inline constexpr std::string_view a2_plaintext =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
    "<FromUserName><![CDATA[mycreate]]></FromUserName>\n"
    "<CreateTime>1409659813</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[hello]]></Content>\n"
    "<MsgId>4561255354251345929</MsgId>\n"
    "<AgentID>218</AgentID>\n"
    "</xml>";

// Set B (WeCom team Python sample).
inline constexpr std::string_view b_token = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
inline constexpr std::string_view b_key = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
inline constexpr std::string_view b_corp = "ww1436e0e65a779aee";
inline constexpr std::string_view b1_echostr =
    "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";
inline constexpr std::string_view b2_encrypt =
    "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+"
    "kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+"
    "3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7il"
    "EbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84"
    "EpH"
    "SGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+";
inline constexpr std::string_view b2_plaintext =
    "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779"
    "</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></"
    "xml>";

inline constexpr std::string_view d1_plaintext =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]>"
    "</Event><EventKey><![CDATA[button_key_1]]></EventKey><TaskId><![CDATA[task_001]]></TaskId><CardType><![CDATA["
    "button_interaction]]></CardType><ResponseCode><![CDATA[RESPONSE_CODE_1]]></ResponseCode><AgentID>1000002"
    "</AgentID></xml>";
inline constexpr std::string_view d1_encrypt =
    "2JaQ0H0H/TuqGM/rDRTva8tvFyfRFbPUIVKgCc5TX/"
    "IRLatzEFveYxi06cPwRQEIL1lJSvUWOlB0zFJPusYtL9izOt07C0MqH2wmkyVVcAjWOJfzIp/"
    "QsatNhJw7taWF7gUpzqS2A1ZNnhO8PTMHHGJO7MciC9iWH4y/GQpJxAmuiA1JSy9616LD2hZRTcMeN2Dwvl+Aa8eEIQhpDknf/"
    "LCO0gE9fgFDM6sbWRPB"
    "VFMsGmfIeR2xjO1P0rVVf58E43aaRVJpFFreOvH/nZYTkbkknA3DiCyHacXDHFWMW/"
    "9nd5hTlUojb23W5EOa3QvF4mjhjI4YepV7h+YNDAiYgUFgui18X"
    "ETQIL+1VbfFuErp6HlcupKHaPWwhgrdXTM0R/"
    "i7iu6fJG8lC6dm8xhlbtmE0XflBkICzSss2GR6ssjq2wZN1dvvRyQaIbcGKjulGd23l9ztDqxrSI8/pF"
    "vbxGFH7kPKem0j57EclkpMrAO/bbHxQv2K9RiPOztydXPIBfxlUdttrM1o2x2rUEY3svahCUcqpCRafnTUV3BHoDf7qNZQh5DfY2TV2k/"
    "deBKRPLVrVK"
    "pw/sOzNl3h9Xi5FbSSdmYa4YHHNNUle/y8Y5yW9Aji7hWQRaqVgNbt/XqB1UN+wye6tzjZC6Qb59DSE9sKXOI2Ob4g5IzXVOMKX7k=";

inline constexpr std::string_view d2_plaintext =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>"
    "<CreateTime>1700000001</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好, world]]></Content>"
    "<MsgId>7000000000000000001</MsgId><AgentID>1000002</AgentID></xml>";
inline constexpr std::string_view d2_encrypt =
    "5E3PQMOs0sDXj07fjAt1j6m3DUcivkD+icybrh/"
    "ryG1rgW0u4Jrx6nmKrso+jNehXrOY9FY4Xdbs0KUrtlMidKdpBCYg3lbLIYsKmvC3vCos4yZ9Fl6FFs1"
    "p10v/ZGttv+1c5FBa/Pkir9ZGYwFbcj0uufWRHm/"
    "KoLnoO+80HuOTPitp3koMICSVx3IRAv18I+3ykNFpeQUwpABrH4sCEAmXeMG9QX0Ybp7xOhSvyklm9"
    "Lv5Xh4Y47Xug2786EzdsZX+5JYdqv2IoyYJV0EVtBEvcxeDY9mmg9Yn+YTPWaMkCLTsvWaWxwPvqkQpVyHmHE1gCk0JWxQvM5NZBJY8QgoWDbBKJ/"
    "8Gtxb"
    "c+bzAgcxlKHbFJ87Vu6Re8zyZo7kXVj/"
    "ttPermttyeoKOWVmJ11V1aarVLtp9gkD9CyInywm6XFuBW55QxXrzQpdOiEHcP5GumY++aHlAgdIrbogKPw==";

inline constexpr std::string_view d3_encrypt =
    "TpNVIESmsbIEu4miJY+"
    "0Wgvpf4qzVbMTxTZZOYgxm7x2zVpcmALnTPeTlIL7JHB7F9F6wplqTqj3lcabCfcEKVjcxVCdmt5GRp4MkCx9Vki2tcRdvs/"
    "AxdUv9UApgiWj";

}  // namespace signoff::test::wecom_vectors
