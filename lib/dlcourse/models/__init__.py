"""PyTorch reference models and their training loops (lectures 06-14).

Every module here imports torch, so ``import dlcourse`` leaves this package alone until a
lecture first uses ``dlcourse.models``; the names below are imported plainly from their modules.

- ``training``  ``fit``, ``predict``, ``accuracy``: the mini-batch loop every lecture uses
- ``lenet``     ``LeNet`` (LeCun et al. 1998) and ``feature_maps`` to look inside a CNN (lecture 07)
- ``inception`` ``InceptionModule``, GoogLeNet's four parallel branches with 1x1 reductions (lecture 07)
- ``residual``  plain and residual stacks (MLP and CNN), the two residual block kinds, DenseNet, gradient norms
                per layer, ``freeze``/``unfreeze`` for transfer learning (lecture 08)
- ``charlm``    a character-level recurrent language model and its sampler (lecture 09)
- ``autoencoder``  plain, denoising, sparse and convolutional autoencoders and their loop (lecture 10)
- ``vae``       the variational autoencoder, its loss and loop (lecture 10)
- ``rbm``       the restricted Boltzmann machine with CD-k, and deep belief nets stacked from it (lecture 10)
- ``sparse_coding``  ISTA and dictionary learning, sparse codes found by optimisation (lecture 10)
- ``channel_autoencoder``  a link learned end to end over a noisy channel; the Hamming (7,4) baseline (lecture 10)
- ``gan``       GAN and DCGAN generators and discriminators, conditional GANs, InfoGAN, VBN, losses and loops (lecture 11)
- ``gan_diagnostics``  mode coverage and pictures of a GAN's samples (lectures 11 and 12)
- ``wgan``      the WGAN critic, weight clipping, the gradient penalty and their loop (lecture 12)
- ``style``     ``FeatureExtractor`` (a random multi-scale CNN, or VGG19 from a local Keras weights file),
                the Gram matrix, content, style and total-variation losses, ``transfer_style`` (lecture 13)
- ``qlearning`` tabular Q-learning, the epsilon schedule, policies on grid worlds (lecture 14)
- ``dqn``       the DQN of Mnih et al. (2015): Q networks, replay buffer, targets, training (lecture 14)
- ``adversarial``  FGSM, PGD, robust accuracy and adversarial training (lecture 15)
- ``gcn``       GCN layers and semi-supervised node classification (lecture 16)
- ``flows``     planar and affine-coupling (RealNVP) layers, the Flow stack, maximum-likelihood training (lecture 17)
- ``transformer``  transformer blocks, a character-level transformer LM, GRU seq2seq with additive attention (lecture 19)
"""
from .adversarial import fgsm, pgd, robust_accuracy, train_adversarial
from .autoencoder import Autoencoder, ConvAutoencoder, kl_sparsity_penalty, train_autoencoder
from .channel_autoencoder import ChannelAutoencoder, hamming74_block_error_rate, hamming74_decode, hamming74_encode
from .charlm import CharLM, CharVocabulary, sample_text, train_charlm
from .dqn import AtariQNetwork, DQNConfig, QNetwork, ReplayBuffer, evaluate_greedy, sync_target, td_targets, train_dqn
from .flows import AffineCoupling, Flow, PlanarFlow, coupling_flow, density_on_grid, gaussian_nll, planar_flow, train_flow
from .gan import (ConditionalDiscriminator, ConditionalGenerator, DCGANDiscriminator, DCGANGenerator, Discriminator,
                  Generator, InfoGANDiscriminator, InfoGANGenerator, VirtualBatchNorm, discriminator_loss,
                  generator_loss, mutual_information_loss, train_gan, train_infogan)
from .gcn import GCN, GCNLayer, node_accuracy, train_node_classifier
from .inception import InceptionModule
from .lenet import LeNet, feature_maps
from .qlearning import (action_values, epsilon_by_step, evaluate_policy_exactly, greedy_policy, plot_q_table,
                        policy_evaluation, q_learning, run_policy, tabular_model)
from .rbm import RBM, DeepBeliefNet
from .residual import BottleneckBlock, DeepCNN, DeepStack, DenseBlock, DenseNet, ResidualBlock, freeze, gradient_norms, unfreeze
from .sparse_coding import ista, learn_dictionary, soft_threshold
from .style import FeatureExtractor, content_loss, gram_matrix, style_loss, total_variation, transfer_style
from .training import accuracy, fit, predict
from .transformer import (CharTransformer, Seq2Seq, TransformerBlock, reversal_accuracy, reversal_batch, sinusoidal_positions,
                          train_char_transformer, train_seq2seq)
from .vae import VAE, train_vae, vae_loss
from .wgan import Critic, LineGenerator, clip_weights, critic_loss, gradient_penalty, plot_critic, train_wgan

__all__ = [
    "fit", "predict", "accuracy",
    "LeNet", "feature_maps", "InceptionModule",
    "DeepStack", "DeepCNN", "DenseBlock", "DenseNet", "ResidualBlock", "BottleneckBlock", "gradient_norms", "freeze", "unfreeze",
    "CharVocabulary", "CharLM", "sample_text", "train_charlm",
    "Autoencoder", "ConvAutoencoder", "train_autoencoder", "kl_sparsity_penalty", "VAE", "vae_loss", "train_vae",
    "RBM", "DeepBeliefNet", "soft_threshold", "ista", "learn_dictionary",
    "ChannelAutoencoder", "hamming74_encode", "hamming74_decode", "hamming74_block_error_rate",
    "Generator", "Discriminator", "DCGANGenerator", "DCGANDiscriminator", "ConditionalGenerator",
    "ConditionalDiscriminator", "discriminator_loss", "generator_loss", "train_gan",
    "InfoGANGenerator", "InfoGANDiscriminator", "mutual_information_loss", "train_infogan", "VirtualBatchNorm",
    "Critic", "LineGenerator", "plot_critic", "critic_loss", "clip_weights", "gradient_penalty", "train_wgan",
    "FeatureExtractor", "gram_matrix", "content_loss", "style_loss", "total_variation", "transfer_style",
    "epsilon_by_step", "q_learning", "greedy_policy", "run_policy", "plot_q_table", "tabular_model",
    "policy_evaluation", "evaluate_policy_exactly", "action_values",
    "QNetwork", "AtariQNetwork", "ReplayBuffer", "td_targets", "sync_target", "DQNConfig", "train_dqn",
    "evaluate_greedy",
    "fgsm", "pgd", "robust_accuracy", "train_adversarial",
    "GCNLayer", "GCN", "train_node_classifier", "node_accuracy",
    "PlanarFlow", "AffineCoupling", "Flow", "coupling_flow", "planar_flow", "train_flow", "gaussian_nll", "density_on_grid",
    "TransformerBlock", "CharTransformer", "sinusoidal_positions", "train_char_transformer", "Seq2Seq",
    "reversal_batch", "train_seq2seq", "reversal_accuracy",
]
