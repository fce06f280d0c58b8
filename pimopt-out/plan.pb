
vgg16puma"latency*greedy:À
features.0#0
features.2#0
features.5#0
features.7#0
features.10#0
features.10#1
features.12#0
features.12#1
features.12#2
features.14#0
features.14#1
features.14#2
features.17#0
features.17#1
features.17#2
features.17#3
features.17#4
features.19#0
features.19#1
features.19#2
features.19#3
features.19#4
features.19#5
features.19#6
features.19#7
features.19#8
features.19#9
features.19#10
features.21#0
features.21#1
features.21#2
features.21#3
features.21#4
features.21#5
features.21#6
features.21#7
features.21#8
features.21#9
features.21#10
features.24#0
features.24#1
features.24#2
features.24#3
features.24#4
features.24#5
features.24#6
features.24#7
features.24#8
features.24#9
features.24#10
features.26#0
features.26#1
features.26#2
features.26#3
features.26#4
features.26#5
features.26#6
features.26#7
features.26#8
features.26#9
features.26#10
features.28#0
features.28#1
features.28#2
features.28#3
features.28#4
features.28#5
features.28#6
features.28#7
features.28#8
features.28#9
features.28#10
classifier.0#0
classifier.0#1
classifier.0#2
classifier.0#3
classifier.0#4
classifier.0#5
classifier.0#6
classifier.0#7
classifier.0#8
classifier.0#9
classifier.0#10
classifier.0#11
classifier.0#12
classifier.0#13
classifier.0#14
classifier.0#15
classifier.0#16
classifier.0#17
classifier.0#18
classifier.0#19
classifier.0#20
classifier.0#21
classifier.0#22
classifier.0#23
classifier.0#24
classifier.0#25
classifier.0#26
classifier.0#27
classifier.0#28
classifier.0#29
classifier.0#30
classifier.0#31
classifier.0#32
classifier.0#33
classifier.0#34
classifier.0#35

features.0i

features.2f

features.5Ä¡ Ïâ:°	
classifier.0#36
classifier.0#37
classifier.0#38
classifier.0#39
classifier.0#40
classifier.0#41
classifier.0#42
classifier.0#43
classifier.0#44
classifier.0#45
classifier.0#46
classifier.0#47
classifier.0#48
classifier.0#49
classifier.0#50
classifier.0#51
classifier.0#52
classifier.0#53
classifier.0#54
classifier.0#55
classifier.0#56
classifier.0#57
classifier.0#58
classifier.0#59
classifier.0#60
classifier.0#61
classifier.0#62
classifier.0#63
classifier.0#64
classifier.0#65
classifier.0#66
classifier.0#67
classifier.0#68
classifier.0#69
classifier.0#70
classifier.0#71
classifier.0#72
classifier.0#73
classifier.0#74
classifier.0#75
classifier.0#76
classifier.0#77
classifier.0#78
classifier.0#79
classifier.0#80
classifier.0#81
classifier.0#82
classifier.0#83
classifier.0#84
classifier.0#85
classifier.0#86
classifier.0#87
classifier.0#88
classifier.0#89
classifier.0#90
classifier.0#91
classifier.0#92
classifier.0#93
classifier.0#94
classifier.0#95
classifier.0#96
classifier.0#97
classifier.0#98
classifier.0#99
classifier.0#100
classifier.0#101
classifier.0#102
classifier.0#103
classifier.0#104†ô ‘i:·	
classifier.0#105
classifier.0#106
classifier.0#107
classifier.0#108
classifier.0#109
classifier.0#110
classifier.0#111
classifier.0#112
classifier.0#113
classifier.0#114
classifier.0#115
classifier.0#116
classifier.0#117
classifier.0#118
classifier.0#119
classifier.0#120
classifier.0#121
classifier.0#122
classifier.0#123
classifier.0#124
classifier.0#125
classifier.0#126
classifier.0#127
classifier.0#128
classifier.0#129
classifier.0#130
classifier.0#131
classifier.0#132
classifier.0#133
classifier.0#134
classifier.0#135
classifier.0#136
classifier.0#137
classifier.0#138
classifier.0#139
classifier.0#140
classifier.0#141
classifier.0#142
classifier.0#143
classifier.0#144
classifier.0#145
classifier.0#146
classifier.0#147
classifier.0#148
classifier.0#149
classifier.0#150
classifier.0#151
classifier.0#152
classifier.0#153
classifier.0#154
classifier.0#155
classifier.0#156
classifier.0#157
classifier.0#158
classifier.0#159
classifier.0#160
classifier.0#161
classifier.0#162
classifier.0#163
classifier.0#164
classifier.0#165
classifier.0#166
classifier.0#167
classifier.0#168
classifier.0#169
classifier.0#170
classifier.0#171
classifier.0#172
classifier.0#173†ô ‘i:·	
classifier.0#174
classifier.0#175
classifier.0#176
classifier.0#177
classifier.0#178
classifier.0#179
classifier.0#180
classifier.0#181
classifier.0#182
classifier.0#183
classifier.0#184
classifier.0#185
classifier.0#186
classifier.0#187
classifier.0#188
classifier.0#189
classifier.0#190
classifier.0#191
classifier.0#192
classifier.0#193
classifier.0#194
classifier.0#195
classifier.0#196
classifier.0#197
classifier.0#198
classifier.0#199
classifier.0#200
classifier.0#201
classifier.0#202
classifier.0#203
classifier.0#204
classifier.0#205
classifier.0#206
classifier.0#207
classifier.0#208
classifier.0#209
classifier.0#210
classifier.0#211
classifier.0#212
classifier.0#213
classifier.0#214
classifier.0#215
classifier.0#216
classifier.0#217
classifier.0#218
classifier.0#219
classifier.0#220
classifier.0#221
classifier.0#222
classifier.0#223
classifier.0#224
classifier.0#225
classifier.0#226
classifier.0#227
classifier.0#228
classifier.0#229
classifier.0#230
classifier.0#231
classifier.0#232
classifier.0#233
classifier.0#234
classifier.0#235
classifier.0#236
classifier.0#237
classifier.0#238
classifier.0#239
classifier.0#240
classifier.0#241
classifier.0#242†ô ‘i:≠
classifier.0#243
classifier.0#244
classifier.0#245
classifier.0#246
classifier.0#247
classifier.0#248
classifier.0#249
classifier.0#250
classifier.0#251
classifier.0#252
classifier.0#253
classifier.0#254
classifier.0#255
classifier.3#0
classifier.3#1
classifier.3#2
classifier.3#3
classifier.3#4
classifier.3#5
classifier.3#6
classifier.3#7
classifier.3#8
classifier.3#9
classifier.3#10
classifier.3#11
classifier.3#12
classifier.3#13
classifier.3#14
classifier.3#15
classifier.3#16
classifier.3#17
classifier.3#18
classifier.3#19
classifier.3#20
classifier.3#21
classifier.3#22
classifier.3#23
classifier.3#24
classifier.3#25
classifier.3#26
classifier.3#27
classifier.3#28
classifier.3#29
classifier.3#30
classifier.3#31
classifier.3#32
classifier.3#33
classifier.3#34
classifier.3#35
classifier.3#36
classifier.3#37
classifier.3#38
classifier.3#39
classifier.3#40
classifier.3#41
classifier.3#42
classifier.3#43
classifier.3#44
classifier.3#45
classifier.3#46
classifier.3#47
classifier.3#48
classifier.3#49
classifier.3#50
classifier.3#51
classifier.3#52
classifier.3#53
classifier.3#54
classifier.3#55
classifier.3#56
classifier.3#57
classifier.3#58
classifier.3#59
classifier.3#60
classifier.3#61
classifier.3#62
classifier.3#63
classifier.6#0
classifier.6#1
classifier.6#2
classifier.6#3
classifier.6#4
classifier.6#5
classifier.6#6
classifier.6#7
classifier.6#8
classifier.6#9
classifier.6#10
classifier.6#11
classifier.6#12
classifier.6#13
classifier.6#14
classifier.6#15∞‘ ‘cB9	-dÅd˛Z∏Aåf¬ÆîC@3Ømı0òB!3Ømı0XB)}JüÇi‚C0ÄÃ∞•8ÄÌ£à