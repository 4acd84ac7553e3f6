# Reward orders moved through fulfilment by the integration API.
error-order-line-unknown = Name one or more lines of this order.
