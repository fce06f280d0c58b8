
lenet5	compass-s"latency*exact:C
conv1#0
conv2#0
fc1#0
fc2#0
fc3#0	
conv1p	
conv2Ö êB0	UUUU_ô«@ı|«m™44AK~±4W+qA!K~±4W+1A) †é‚R…A8–@