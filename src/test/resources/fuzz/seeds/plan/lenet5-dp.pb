
lenet5	compass-s"latency*dp:C
conv1#0
conv2#0
fc1#0
fc2#0
fc3#0	
conv1p	
conv2… †B0	UUUU_/È@Ú™@¡X·3AK~±4‡dqA!K~±4‡d1A)Ê Ú½IJÊA8Ð@