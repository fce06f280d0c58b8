
lenet5	compass-sÀ„=